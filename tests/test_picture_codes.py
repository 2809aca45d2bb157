"""Picture codes on a phone enrolled by the card: « Qui êtes-vous ? », three pictures, and
nothing anywhere else (another phone, another person's phone cookie, a forged one)."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import Cookie, CookieJar

from sqlalchemy import func, select
from werkzeug.serving import make_server

from app import hashing
from app.auth import phones, pictures
from app.cli import create_demo_accounts
from app.extensions import db
from app.facilitate import accounts
from app.models import AuditEvent, EnrolledDevice, User
from app.rules import PEOPLE_PER_PHONE, PICTURE_CODE_ATTEMPTS, PICTURE_CODE_LENGTH
from tests.conftest import csrf_token
from tests.facilitate_helpers import login, make_learner, scan_card, token_from, user_id
from tests.test_facilitate_accounts import record_tokens

AMINA_CODE = ["house", "sun", "bicycle"]
JOSIANE_CODE = ["cat", "cat", "moon"]
WRONG_CODE = ["boat", "boat", "boat"]
PERSON_LINK = re.compile(r'href="/connexion/images/(\d+)"[^>]*>.*?</svg> ([^<]+)</a>', re.S)


def card_and_code(app, username: str, code: list[str]) -> str:
    """A printed card for this person and the picture code her facilitator chose."""
    with app.app_context():
        person = db.session.get(User, user_id(username))
        token = accounts.print_cards([person], new_passwords=False, actor=person)[0].token
        accounts.set_picture_code(person, code, actor=person)
        return token


def enrol(client, token: str, remember: bool = True) -> None:
    response = scan_card(client, token, enrol=True, remember=remember)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.post("/deconnexion", data={"csrf_token": token_from(client, "/")}).status_code == 302


def people_on_the_sign_in_page(client) -> dict[str, int]:
    """First name → device id, as « Qui êtes-vous ? » lists them."""
    html = client.get("/connexion").get_data(as_text=True)
    return {name.strip(): int(device) for device, name in PERSON_LINK.findall(html)}


def tap(client, device_id: int, picture: str):
    page = client.get(f"/connexion/images/{device_id}")
    assert page.status_code == 200
    return client.post(f"/connexion/images/{device_id}", data={"csrf_token": token_from(client, "/connexion"), "picture": picture})


def tap_code(client, device_id: int, code: list[str]):
    for picture in code[:-1]:
        response = tap(client, device_id, picture)
        assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return tap(client, device_id, code[-1])


def without_token(html: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*>', "", html)


def signed_in_as(client) -> str | None:
    response = client.get("/")
    if response.status_code != 200:
        return None
    return re.search(r'data-learner="(\d+)"', response.get_data(as_text=True)).group(1)


def test_the_code_is_three_pictures_among_twelve_about_eleven_bits():
    assert len(pictures.PICTURES) == 12 and PICTURE_CODE_LENGTH == 3
    assert 10.7 < pictures.entropy_bits() < 10.8  # 12³ = 1,728 codes, so it is never accepted alone
    assert len({p.id for p in pictures.PICTURES}) == 12 and len({str(p.name) for p in pictures.PICTURES}) == 12


def test_enrolling_by_card_then_signing_in_with_the_pictures(app, client):
    token = card_and_code(app, "amina", AMINA_CODE)
    card_page = client.get(f"/connexion/carte/{token}").get_data(as_text=True)
    assert "Ce téléphone est à Amina ?" in card_page and "Garder mon compte ouvert sur ce téléphone" in card_page
    response = scan_card(client, token, enrol=True)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(phones.COOKIE_PREFIX))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=34560000" in cookie
    secret = cookie.split("=", 1)[1].split(";")[0]
    with app.app_context():
        stored = db.session.scalars(select(EnrolledDevice)).one()
        assert stored.user_id == user_id("amina") and secret not in stored.secret_hash and len(secret) >= 43
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "téléphone ajouté")) == 1
    client.post("/deconnexion", data={"csrf_token": token_from(client, "/")})

    login_page = client.get("/connexion")
    assert "Qui êtes-vous ?" in login_page.get_data(as_text=True) and login_page.headers["Cache-Control"] == "no-store"
    device_id = people_on_the_sign_in_page(client)["Amina"]
    page = client.get(f"/connexion/images/{device_id}").get_data(as_text=True)
    assert page.count('class="picture-button"') == 12 and 'alt="Maison"' in page and "Image 1 sur 3" in page
    tap(client, device_id, "house")
    after_house = client.get(f"/connexion/images/{device_id}").get_data(as_text=True)
    assert "Image 2 sur 3" in after_house
    client.post(f"/connexion/images/{device_id}", data={"csrf_token": csrf_token(after_house), "clear": "1"})
    tap(client, device_id, "moon")
    after_moon = client.get(f"/connexion/images/{device_id}").get_data(as_text=True)
    assert without_token(after_house) == without_token(after_moon)  # the page never tells which picture was tapped
    client.post(f"/connexion/images/{device_id}", data={"csrf_token": csrf_token(after_moon), "clear": "1"})
    tap(client, device_id, "house")
    tap(client, device_id, "sun")
    response = tap(client, device_id, "bicycle")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in_as(client) == "3"


def test_the_picture_code_is_refused_on_any_other_phone(app, client):
    token = card_and_code(app, "amina", AMINA_CODE)
    card_and_code(app, "josiane", JOSIANE_CODE)
    enrol(client, token)
    amina_device = people_on_the_sign_in_page(client)["Amina"]
    amina_secret = client.get_cookie(f"{phones.COOKIE_PREFIX}{amina_device}").value

    elsewhere = app.test_client()  # no device cookie
    assert "Qui êtes-vous ?" not in elsewhere.get("/connexion").get_data(as_text=True)
    assert elsewhere.get(f"/connexion/images/{amina_device}").status_code == 404
    page = elsewhere.get("/connexion").get_data(as_text=True)
    response = elsewhere.post(f"/connexion/images/{amina_device}", data={"csrf_token": csrf_token(page), "picture": "house"})
    assert response.status_code == 404 and "Ce téléphone ne connaît pas ce compte" in response.get_data(as_text=True)

    forged = app.test_client()
    forged.set_cookie(f"{phones.COOKIE_PREFIX}{amina_device}", "x" * 43)
    assert forged.get(f"/connexion/images/{amina_device}").status_code == 404
    assert "Qui êtes-vous ?" not in forged.get("/connexion").get_data(as_text=True)

    # Josiane's phone, with Amina's secret copied under another device's name: it opens nothing.
    josiane_phone = app.test_client()
    enrol(josiane_phone, card_and_code(app, "josiane", JOSIANE_CODE))
    josiane_device = people_on_the_sign_in_page(josiane_phone)["Josiane"]
    josiane_phone.set_cookie(f"{phones.COOKIE_PREFIX}{josiane_device}", amina_secret)
    assert josiane_phone.get(f"/connexion/images/{josiane_device}").status_code == 404
    assert josiane_phone.get(f"/connexion/images/{amina_device}").status_code == 404
    for visitor in (elsewhere, forged, josiane_phone):
        assert signed_in_as(visitor) is None
    with app.app_context():
        assert db.session.get(EnrolledDevice, amina_device).failures == 0  # nothing was even tried


def test_three_wrong_codes_lock_the_phone_and_the_facilitator_lifts_the_lock(app, client):
    token = card_and_code(app, "amina", AMINA_CODE)
    enrol(client, token)
    device_id = people_on_the_sign_in_page(client)["Amina"]
    response = tap_code(client, device_id, WRONG_CODE)
    assert response.status_code == 422 and "Il vous reste 2 essais" in response.get_data(as_text=True)
    tap_code(client, device_id, WRONG_CODE)
    response = tap_code(client, device_id, WRONG_CODE)
    html = response.get_data(as_text=True)
    assert f"bloqué sur ce téléphone, après {PICTURE_CODE_ATTEMPTS} codes faux" in html and "scannez votre carte" in html
    assert 'class="picture-button"' not in html
    # Locked: even the right code is not checked.
    response = client.post(f"/connexion/images/{device_id}", data={"csrf_token": token_from(client, "/connexion"), "picture": "house"})
    assert response.status_code == 403 and signed_in_as(client) is None

    staff = app.test_client()
    login(staff, "animatrice", "animatrice-demo")
    learner_page = staff.get("/animation/participants/3").get_data(as_text=True)
    assert "Code en images bloqué sur ce téléphone." in learner_page
    staff.post(f"/animation/participants/3/telephones/{device_id}/debloquer", data={"csrf_token": csrf_token(learner_page)})
    assert "Code en images bloqué" not in staff.get("/animation/participants/3").get_data(as_text=True)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
        assert "code en images bloqué" in actions and actions[-2] == "code en images débloqué"

    assert tap_code(client, device_id, AMINA_CODE).status_code == 302
    assert signed_in_as(client) == "3"


def test_scanning_the_card_on_the_locked_phone_lifts_the_lock(app, client):
    token = card_and_code(app, "amina", AMINA_CODE)
    enrol(client, token)
    device_id = people_on_the_sign_in_page(client)["Amina"]
    for _attempt in range(PICTURE_CODE_ATTEMPTS):
        tap_code(client, device_id, WRONG_CODE)
    card_page = client.get(f"/connexion/carte/{token}").get_data(as_text=True)
    assert "Ce téléphone est à Amina ?" not in card_page  # it is hers already
    scan_card(client, token)
    client.post("/deconnexion", data={"csrf_token": token_from(client, "/")})
    assert tap_code(client, device_id, AMINA_CODE).status_code == 302
    with app.app_context():
        assert db.session.scalars(select(EnrolledDevice)).one().failures == 0


def test_a_new_code_replaces_the_old_one(app, client):
    token = card_and_code(app, "amina", AMINA_CODE)
    enrol(client, token)
    device_id = people_on_the_sign_in_page(client)["Amina"]
    staff = app.test_client()
    login(staff, "animatrice", "animatrice-demo")
    form = {"csrf_token": token_from(staff, "/animation/participants/3"), "pictures-0": "tree", "pictures-1": "key", "pictures-2": "tree"}
    shown = staff.post("/animation/participants/3/code-images", data=form).get_data(as_text=True)
    assert 'alt="Arbre"' in shown and 'alt="Clé"' in shown and "il ne sera plus affiché" in shown
    assert tap_code(client, device_id, AMINA_CODE).status_code == 422
    assert tap_code(client, device_id, ["tree", "key", "tree"]).status_code == 302
    client.post("/deconnexion", data={"csrf_token": token_from(client, "/")})
    # A menu left empty: said, and nothing changed.
    refused = staff.post("/animation/participants/3/code-images", data={"csrf_token": form["csrf_token"], "pictures-0": "tree"})
    assert refused.status_code == 422 and "Choisissez une image dans chaque menu" in refused.get_data(as_text=True)
    assert refused.get_data(as_text=True).count("Choisissez une image.") == 2
    assert tap_code(client, device_id, ["tree", "key", "tree"]).status_code == 302  # still the code chosen before
    # Drawn at random: three of the twelve.
    drawn = staff.post("/animation/participants/3/code-images", data={"csrf_token": form["csrf_token"], "random": "1"})
    assert drawn.get_data(as_text=True).count('class="picture-img"') == 3


def test_removing_the_phone_ends_its_sessions_and_its_secret(app, client):
    token = card_and_code(app, "amina", AMINA_CODE)
    enrol(client, token)
    device_id = people_on_the_sign_in_page(client)["Amina"]
    assert tap_code(client, device_id, AMINA_CODE).status_code == 302
    staff = app.test_client()
    login(staff, "animatrice", "animatrice-demo")
    learner_page = staff.get("/animation/participants/3").get_data(as_text=True)
    assert "Retirer ce téléphone" in learner_page and "Ajouté" in learner_page
    staff.post(f"/animation/participants/3/telephones/{device_id}/retirer", data={"csrf_token": csrf_token(learner_page)})
    assert signed_in_as(client) is None  # the phone's session ended
    response = client.get("/connexion")
    assert "Qui êtes-vous ?" not in response.get_data(as_text=True)
    assert any(c.startswith(f"{phones.COOKIE_PREFIX}{device_id}=;") for c in response.headers.getlist("Set-Cookie"))
    assert client.get(f"/connexion/images/{device_id}").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EnrolledDevice)) == 0
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "téléphone retiré"


def test_she_removes_another_phone_from_my_data_and_stays_signed_in_here(app, client):
    token = card_and_code(app, "amina", AMINA_CODE)
    old_phone = app.test_client()
    enrol(old_phone, token)
    old_device = people_on_the_sign_in_page(old_phone)["Amina"]
    assert tap_code(old_phone, old_device, AMINA_CODE).status_code == 302
    scan_card(client, token)  # on a computer, not enrolled
    my_data = client.get("/mes-donnees").get_data(as_text=True)
    assert "Mes téléphones" in my_data and "Retirer ce téléphone" in my_data
    response = client.post(f"/mes-donnees/telephones/{old_device}/retirer", data={"csrf_token": csrf_token(my_data)}, follow_redirects=True)
    assert "Ce téléphone est retiré" in response.get_data(as_text=True)
    assert signed_in_as(client) == "3" and signed_in_as(old_phone) is None
    assert old_phone.get(f"/connexion/images/{old_device}").status_code == 404


def test_she_removes_this_phone_and_is_signed_out(app, client):
    token = card_and_code(app, "amina", AMINA_CODE)
    scan_card(client, token, enrol=True)
    device_id = people_on_the_sign_in_page_when_signed_in(app, client)
    my_data = client.get("/mes-donnees").get_data(as_text=True)
    assert "Ce téléphone-ci." in my_data
    client.post(f"/mes-donnees/telephones/{device_id}/retirer", data={"csrf_token": csrf_token(my_data)})
    assert signed_in_as(client) is None
    assert "Qui êtes-vous ?" not in client.get("/connexion").get_data(as_text=True)


def people_on_the_sign_in_page_when_signed_in(app, client) -> int:
    with app.app_context():
        return db.session.scalars(select(EnrolledDevice.id)).one()


def test_two_people_on_one_family_phone_sign_in_apart(app, client):
    enrol(client, card_and_code(app, "amina", AMINA_CODE))
    enrol(client, card_and_code(app, "josiane", JOSIANE_CODE))
    people = people_on_the_sign_in_page(client)
    assert list(people) == ["Amina", "Josiane"]
    # Amina's code under Josiane's name opens nothing.
    assert tap_code(client, people["Josiane"], AMINA_CODE).status_code == 422
    assert tap_code(client, people["Amina"], AMINA_CODE).status_code == 302
    amina_page = client.get("/").get_data(as_text=True)
    amina_person = re.search(r'name="pasapas-person" content="([^"]+)"', amina_page).group(1)
    client.post("/deconnexion", data={"csrf_token": csrf_token(amina_page)})
    assert tap_code(client, people["Josiane"], JOSIANE_CODE).status_code == 302
    josiane_page = client.get("/").get_data(as_text=True)
    assert signed_in_as(client) == "4"
    # The service worker keeps offline pages under this name: not Amina's.
    assert re.search(r'name="pasapas-person" content="([^"]+)"', josiane_page).group(1) != amina_person
    # Amina's wrong codes and Josiane's are counted apart.
    with app.app_context():
        failures = {d.user_id: d.failures for d in db.session.scalars(select(EnrolledDevice))}
        assert failures == {3: 0, 4: 0}


def test_a_code_tapped_half_way_starts_again_for_another_person(app, client):
    enrol(client, card_and_code(app, "amina", AMINA_CODE))
    enrol(client, card_and_code(app, "josiane", JOSIANE_CODE))
    people = people_on_the_sign_in_page(client)
    tap(client, people["Amina"], "house")
    tap(client, people["Amina"], "sun")
    # Josiane takes the phone: her first tap is her first picture, not Amina's third.
    assert "Image 1 sur 3" in client.get(f"/connexion/images/{people['Josiane']}").get_data(as_text=True)
    assert tap_code(client, people["Josiane"], JOSIANE_CODE).status_code == 302
    assert signed_in_as(client) == "4"


def test_clear_starts_the_code_again_and_a_bad_picture_is_said(app, client):
    enrol(client, card_and_code(app, "amina", AMINA_CODE))
    device_id = people_on_the_sign_in_page(client)["Amina"]
    tap(client, device_id, "boat")
    page = client.get(f"/connexion/images/{device_id}").get_data(as_text=True)
    assert "Effacer et recommencer" in page
    client.post(f"/connexion/images/{device_id}", data={"csrf_token": csrf_token(page), "clear": "1"})
    response = tap(client, device_id, "licorne")
    assert response.status_code == 422 and "Touchez une des images." in response.get_data(as_text=True)
    assert tap_code(client, device_id, AMINA_CODE).status_code == 302


def test_without_a_picture_code_she_is_told_what_to_do(app, client):
    with app.app_context():
        person = db.session.get(User, user_id("amina"))
        token = accounts.print_cards([person], new_passwords=False, actor=person)[0].token
    enrol(client, token)
    device_id = people_on_the_sign_in_page(client)["Amina"]
    page = client.get(f"/connexion/images/{device_id}").get_data(as_text=True)
    assert "Vous n'avez pas encore de code en images" in page and 'class="picture-button"' not in page


def test_printed_cards_show_a_new_picture_code_that_signs_in(app, client, monkeypatch):
    tokens = record_tokens(monkeypatch)
    staff = app.test_client()
    login(staff, "animatrice", "animatrice-demo")
    form_page = staff.get("/animation/groupes/1/cartes?learner=3").get_data(as_text=True)
    assert "Codes en images" in form_page
    sheet = staff.post("/animation/groupes/1/cartes", data={
        "csrf_token": csrf_token(form_page), "learners": "3", "passwords": "keep", "picture_codes": "new", "confirmed": "1",
    }).get_data(as_text=True)
    names = re.findall(r'class="picture-img" src="/static/pictures/([a-z]+)\.[0-9a-f]+\.svg"', sheet)
    assert len(names) == PICTURE_CODE_LENGTH
    enrol(client, tokens[-1])
    assert tap_code(client, people_on_the_sign_in_page(client)["Amina"], names).status_code == 302


def test_her_phones_are_in_her_data_and_anonymisation_forgets_them(app, client):
    enrol(client, card_and_code(app, "amina", AMINA_CODE))
    device_id = people_on_the_sign_in_page(client)["Amina"]
    assert tap_code(client, device_id, AMINA_CODE).status_code == 302
    exported = client.get("/mes-donnees/mes-donnees.json").get_json()
    assert len(exported["téléphones"]) == 1 and exported["téléphones"][0]["code en images bloqué"] == "non"
    admin = app.test_client()
    login(admin, "admin", "admin-demo")
    admin.post("/animation/confidentialite/3/anonymiser", data={"csrf_token": token_from(admin, "/animation/confidentialite")})
    assert "Qui êtes-vous ?" not in client.get("/connexion").get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(EnrolledDevice)) == 0
        assert db.session.get(User, 3).picture_code_hash is None


def test_twenty_wrong_codes_at_once_from_copies_of_the_phone_are_checked_at_most_three_times(make_app, monkeypatch):
    """Against a live threaded server, from twenty copies of one phone's cookies, each two pictures in."""
    app = make_app(RATELIMIT_ENABLED=False)
    with app.app_context():
        create_demo_accounts()
    phone = app.test_client()
    enrol(phone, card_and_code(app, "amina", AMINA_CODE))
    device_id = people_on_the_sign_in_page(phone)["Amina"]
    name = f"{phones.COOKIE_PREFIX}{device_id}"
    secret = phone.get_cookie(name).value
    checks = []
    real = hashing.check_password_hash
    monkeypatch.setattr(hashing, "check_password_hash", lambda *args: checks.append(1) or real(*args))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    url = f"{base}/connexion/images/{device_id}"
    copies = []
    for _ in range(20):
        jar = CookieJar()
        jar.set_cookie(Cookie(0, name, secret, None, False, "127.0.0.1", False, False, "/", True, False, None, False, None, None, {}))
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        token = csrf_token(opener.open(url).read().decode())
        for picture in WRONG_CODE[:-1]:
            opener.open(url, data=urllib.parse.urlencode({"csrf_token": token, "picture": picture}).encode())
        copies.append((opener, token))
    start = threading.Barrier(20)
    statuses = []

    def last_tap(opener, token):
        body = urllib.parse.urlencode({"csrf_token": token, "picture": WRONG_CODE[-1]}).encode()
        start.wait()
        try:
            statuses.append(opener.open(url, data=body).status)
        except urllib.error.HTTPError as answer:
            statuses.append(answer.code)

    threads = [threading.Thread(target=last_tap, args=pair) for pair in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    server.shutdown()
    assert len(statuses) == 20 and set(statuses) <= {403, 422}  # 403: already locked when it arrived
    assert len(checks) <= PICTURE_CODE_ATTEMPTS
    with app.app_context():
        assert db.session.get(EnrolledDevice, device_id).failures == PICTURE_CODE_ATTEMPTS


def test_no_enrols_nothing_and_a_family_phone_keeps_at_most_its_limit(app, client):
    response = scan_card(client, card_and_code(app, "amina", AMINA_CODE), enrol=False)
    assert response.status_code == 302 and not any(c.startswith(phones.COOKIE_PREFIX) for c in response.headers.getlist("Set-Cookie"))
    client.post("/deconnexion", data={"csrf_token": token_from(client, "/")})
    assert people_on_the_sign_in_page(client) == {}
    with app.app_context():
        usernames = [f"membre{n}" for n in range(PEOPLE_PER_PHONE + 1)]
        for username in usernames:
            make_learner(username, 1)
    for username in usernames[:PEOPLE_PER_PHONE]:
        enrol(client, card_and_code(app, username, AMINA_CODE))
    assert len(people_on_the_sign_in_page(client)) == PEOPLE_PER_PHONE
    response = scan_card(client, card_and_code(app, usernames[-1], AMINA_CODE), enrol=True, follow=True)
    assert f"Ce téléphone garde déjà {PEOPLE_PER_PHONE} personnes" in response.get_data(as_text=True)
    assert signed_in_as(client) is not None  # signed in all the same, without enrolling
    client.post("/deconnexion", data={"csrf_token": token_from(client, "/")})
    assert len(people_on_the_sign_in_page(client)) == PEOPLE_PER_PHONE
