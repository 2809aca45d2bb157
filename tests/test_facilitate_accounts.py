"""Accounts in minutes: bulk import, usernames, passwords, sign-in cards."""

from __future__ import annotations

import math
import re

import pytest
from sqlalchemy import func, select

from app import names
from app.auth import services as auth_services
from app.extensions import db
from app.facilitate import accounts, passwords
from app.models import Group, SignInToken, User
from tests.facilitate_helpers import login, scan_card, shown_password, token_from, user_id


def count_users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


# Passwords ------------------------------------------------------------------------------


def test_generated_passwords_are_four_short_common_words_and_a_number_for_fifty_bits():
    words = passwords.words()
    assert len(words) == len(set(words)) > 1000
    # Short, lowercase a to z: nothing to look for on a phone keyboard.
    assert all(re.fullmatch(r"[a-z]{3,8}", w) for w in words)
    # 4 words from 1106 (40.4 bits) and a number from 100 to 999 (9.8 bits): 50.3 bits,
    # the CNIL's floor for a password whose sign-in attempts are limited.
    assert passwords.entropy_bits() == 4 * math.log2(len(words)) + math.log2(900)
    assert passwords.entropy_bits() >= 50
    generated = {passwords.generate_password() for _ in range(50)}
    assert len(generated) == 50
    for password in generated:
        *chosen, number = passwords.password_parts(password)
        assert len(chosen) == 4 and all(w in words for w in chosen) and 100 <= int(number) <= 999
        assert len(password) <= 4 * 8 + 3 + 4  # at most 39 characters, usually about 25


def test_the_word_list_has_no_word_a_beginner_would_stumble_on():
    words = set(passwords.words())
    # Words that need an accent in French, once present in lists like this one, are kept out.
    assert not words & {"gateau", "crepe", "fenetre", "riviere", "helicoptere", "creche", "drole", "etagere"}
    assert {"pomme", "lapin", "jardin", "soleil"} <= words


# Names and usernames ----------------------------------------------------------------------


# A name as typed on one line -> the name shown, and the username it leads to.
REAL_NAMES = [
    ("amina", "Amina", "amina"),
    ("Amina D.", "Amina D.", "amina"),
    ("  Jean-pierre   Dupont ", "Jean-Pierre D.", "jeanpierre"),
    ("Marie Claire Dubois", "Marie Claire D.", "marieclaire"),
    ("Samira El Amrani", "Samira E.", "samira"),
    ("Karim Ben Salah", "Karim B.", "karim"),
    ("Fatima Aït Ali", "Fatima A.", "fatima"),
    ("Kevin Le Gall", "Kevin L.", "kevin"),
    ("Ana da Silva", "Ana S.", "ana"),
    ("Maria dos Santos Costa", "Maria S.", "maria"),
    ("Jean de la Fontaine", "Jean F.", "jean"),
    ("Pieter van Dijk", "Pieter D.", "pieter"),
    ("Nguyễn Thị Lan", "Thị Lan N.", "thilan"),
    ("Nguyen Van Minh", "Van Minh N.", "vanminh"),
    ("Trần Hùng", "Hùng T.", "hung"),
    ("Aïssata N'Diaye", "Aïssata N.", "aissata"),
    ("Éloïse Martin-Leroy", "Éloïse M.", "eloise"),
]


@pytest.mark.parametrize(("typed", "shown", "username"), REAL_NAMES)
def test_names_become_a_first_name_and_an_initial_as_people_expect(typed, shown, username):
    first, initial = names.parse_name(typed)
    assert f"{first} {initial}".strip() == shown
    assert names.username_base(first) == username


def test_two_columns_keep_the_family_name_whole():
    assert names.parse_name("Éloïse", "N'Diaye") == ("Éloïse", "N.")
    assert names.parse_name("Samira", "El Amrani") == ("Samira", "E.")
    assert names.parse_name("Ana", "da Silva") == ("Ana", "S.")
    assert names.parse_name("Thị Lan", "Nguyễn") == ("Thị Lan", "N.")


def test_duplicate_names_get_distinct_ascii_usernames(app):
    with app.app_context():  # "amina" exists in the demo accounts
        assert accounts.allocate_usernames(["Amina", "Amina", "Éloïse", "Éloïse", "Zoé-Lou"]) == [
            "amina2", "amina3", "eloise", "eloise2", "zoelou",
        ]


def test_csv_with_bom_semicolons_and_a_header(app):
    data = "\ufeffPrénom;Nom\r\nAmina;Diallo\r\nJosé;\r\n\r\nMarie Claire;Martin\r\n".encode()
    entries, errors = names.parse_csv_names(data)
    assert errors == []
    assert [(e.line, e.first_name, e.last_initial) for e in entries] == [
        (2, "Amina", "D."), (3, "José", ""), (5, "Marie Claire", "M."),
    ]


def test_csv_with_commas_and_no_header_and_a_bad_line():
    entries, errors = names.parse_csv_names(b"Amina,Diallo\nKevin,Le Gall\n42,Martin\n")
    assert [(e.first_name, e.last_initial) for e in entries] == [("Amina", "D."), ("Kevin", "L.")]
    assert [(e.line, e.text) for e in errors] == [(3, "42,Martin")]


# Bulk import through the page -------------------------------------------------------------


def test_a_list_with_bad_lines_creates_nothing_and_shows_each_line(app, client):
    login(client, "animatrice", "animatrice-demo")
    with app.app_context():
        before = count_users()
    typed = "Amina Diallo\nR2D2\n\nSophie M.\n=SOMME(A1)\n"
    response = client.post(
        "/animation/groupes/1/import", data={"csrf_token": token_from(client, "/animation/groupes/1/import"), "names": typed}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Aucun compte n&#39;a été créé" in html or "Aucun compte n'a été créé" in html
    assert "Ligne 2" in html and "Ligne 5" in html and "Ligne 1 " not in html and "Ligne 4" not in html
    assert "R2D2\n\nSophie M.\n=SOMME(A1)" in html  # what was typed is kept in the text area
    with app.app_context():
        assert count_users() == before


def record_tokens(monkeypatch) -> list[str]:
    """The card tokens made during the test (only their hashes reach the database)."""
    made = []
    real = auth_services.new_card_token

    def recording():
        made.append(real())
        return made[-1]

    monkeypatch.setattr(auth_services, "new_card_token", recording)
    return made


def test_a_correct_list_creates_every_account_once_with_cards(app, client, monkeypatch):
    tokens = record_tokens(monkeypatch)
    login(client, "animatrice", "animatrice-demo")
    typed = "Amina Diallo\nAmina K.\nÉloïse\n"
    response = client.post(
        "/animation/groupes/1/import", data={"csrf_token": token_from(client, "/animation/groupes/1/import"), "names": typed}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert "3 comptes créés" in html
    assert html.count('class="signin-card"') == 3 and html.count("<svg") >= 3
    rows = re.findall(r'<td class="signin-code">([a-z0-9-]+)</td><td class="signin-code">(.*?)</td>', html)
    shown = [(username, shown_password(cell)) for username, cell in rows]
    assert [username for username, _ in shown] == ["amina2", "amina3", "eloise"]
    assert len(set(tokens)) == 3 and not any(t in html for t in tokens)  # in the QR codes only
    with app.app_context():
        created = db.session.scalars(select(User).where(User.username.in_(["amina2", "amina3", "eloise"]))).all()
        assert {(u.first_name, u.last_initial, u.group_id) for u in created} == {("Amina", "D.", 1), ("Amina", "K.", 1), ("Éloïse", "", 1)}
        assert all(u.check_password(dict(shown)[u.username]) for u in created)
        # Tokens are stored hashed, never as printed.
        stored = set(db.session.scalars(select(SignInToken.token_hash)))
        assert not stored & set(tokens) and {auth_services.hash_token(t) for t in tokens} <= stored


def test_import_from_a_csv_file(app, client):
    import io

    login(client, "animatrice", "animatrice-demo")
    data = {
        "csrf_token": token_from(client, "/animation/groupes/1/import"),
        "file": (io.BytesIO("\ufeffprénom;nom\r\nFatou;Sow\r\n".encode()), "groupe.csv"),
    }
    response = client.post("/animation/groupes/1/import", data=data, content_type="multipart/form-data")
    assert response.status_code == 200 and "fatou" in response.get_data(as_text=True)


def test_importing_the_most_names_at_once_creates_them_all_in_one_transaction(app):
    with app.app_context():
        entries = [names.NameEntry(i, f"Personne{chr(97 + i % 26)}", "") for i in range(1, names.MAX_IMPORT_LINES + 1)]
        group = db.session.get(Group, 1)
        facilitator = db.session.get(User, user_id("animatrice"))
        before = count_users()
        cards = accounts.create_participants(group, entries, facilitator)
        assert len(cards) == names.MAX_IMPORT_LINES and len({c.username for c in cards}) == names.MAX_IMPORT_LINES
        assert count_users() == before + names.MAX_IMPORT_LINES


# Sign-in cards ----------------------------------------------------------------------------


def test_a_card_signs_in_with_a_long_lived_cookie_and_can_be_revoked(app, client):
    with app.app_context():
        amina = db.session.get(User, user_id("amina"))
        card = accounts.print_cards([amina], new_passwords=False, actor=amina)[0]
        assert card.password is None
    response = scan_card(client, card.token)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert "remember_token" in response.headers.get("Set-Cookie", "") or any(
        "remember_token" in h for h in response.headers.getlist("Set-Cookie")
    )
    assert client.get("/").status_code == 200
    # The facilitator revokes it: the same card no longer works.
    other = app.test_client()
    login(other, "animatrice", "animatrice-demo")
    response = other.post(f"/animation/participants/{card.user_id}/carte/revoquer", data={"csrf_token": token_from(other, "/animation/"), "confirmed": "1"})
    assert response.status_code == 302
    stale = app.test_client().get(f"/connexion/carte/{card.token}")
    assert stale.status_code == 404 and "Cette carte ne marche plus" in stale.get_data(as_text=True)


def test_printing_cards_again_replaces_the_tokens_and_can_reset_passwords(app, client, monkeypatch):
    old_tokens = record_tokens(monkeypatch)
    login(client, "animatrice", "animatrice-demo")
    form = client.get("/animation/groupes/1/cartes").get_data(as_text=True)
    assert "Les anciennes cartes de ces personnes ne marcheront plus" in form
    amina, josiane = 3, 4
    first = client.post(
        "/animation/groupes/1/cartes",
        data={"csrf_token": token_from(client, "/animation/groupes/1/cartes"), "learners": [amina, josiane], "passwords": "new", "picture_codes": "keep",
              "confirmed": "1"},
    ).get_data(as_text=True)
    new_password = [shown_password(cell) for cell in re.findall(r'<dd class="signin-code">(<span class="password-words".*?)</dd>', first)]
    assert len(set(old_tokens)) == 2 and len(new_password) == 2
    assert all(re.fullmatch(r"[a-z]+(?:-[a-z]+){3}-\d{3}", password) for password in new_password)
    second = client.post(
        "/animation/groupes/1/cartes",
        data={"csrf_token": token_from(client, "/animation/groupes/1/cartes"), "learners": [amina], "passwords": "keep", "picture_codes": "keep",
              "confirmed": "1"},
    ).get_data(as_text=True)
    assert 'class="write-here"' in second
    assert len(old_tokens) == 3
    assert scan_card(app.test_client(), old_tokens[2]).status_code == 302  # amina's new card
    assert app.test_client().get(f"/connexion/carte/{old_tokens[0]}").status_code == 404  # amina's old card
    assert scan_card(app.test_client(), old_tokens[1]).status_code == 302  # josiane's still works
    with app.app_context():
        assert not db.session.get(User, amina).check_password("amina-demo")
        assert db.session.get(User, amina).check_password(new_password[0])


def test_the_cards_form_starts_with_nobody_ticked_and_the_passwords_kept(app, client):
    login(client, "animatrice", "animatrice-demo")
    form = client.get("/animation/groupes/1/cartes").get_data(as_text=True)
    assert 'type="checkbox"' in form and "checked" not in form.split('class="field radios', 1)[0]
    assert re.search(r'<input checked id="passwords-0" name="passwords"[^>]* type="radio" value="keep">', form)
    # From a learner's page « Nouvelle carte » ticks that person only.
    one = client.get("/animation/groupes/1/cartes?learner=4").get_data(as_text=True)
    assert re.findall(r'<input checked[^>]*name="learners"[^>]*>', one) == ['<input checked id="learners-1" name="learners" type="checkbox" value="4">']


def test_cards_say_how_many_people_and_change_nothing_before_confirming(app, client, monkeypatch):
    tokens = record_tokens(monkeypatch)
    login(client, "animatrice", "animatrice-demo")
    token = token_from(client, "/animation/groupes/1/cartes")
    asked = client.post("/animation/groupes/1/cartes", data={"csrf_token": token, "learners": [3, 4], "passwords": "new", "picture_codes": "keep"})
    html = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "Imprimer 2 cartes ?" in html and "Cela concerne 2 personnes" in html
    assert "leur ancien mot de passe et leur ancienne carte ne marcheront plus" in html
    assert 'name="confirmed" value="1"' in html and 'name="learners" value="3"' in html and 'name="learners" value="4"' in html
    assert tokens == []  # no card made
    with app.app_context():
        assert db.session.get(User, 3).check_password("amina-demo")
    keep = client.post("/animation/groupes/1/cartes", data={"csrf_token": token, "learners": [3], "passwords": "keep", "picture_codes": "keep"})
    assert "Imprimer 1 carte ?" in keep.get_data(as_text=True) and "gardent leur mot de passe" in keep.get_data(as_text=True)
    assert tokens == []


def test_password_deactivation_and_card_stop_ask_first(app, client):
    login(client, "animatrice", "animatrice-demo")
    token = token_from(client, "/animation/")
    with app.app_context():
        cards_before = db.session.scalar(select(func.count()).select_from(SignInToken).where(SignInToken.user_id == 3))
    for url, data, asks in (
        ("/animation/participants/3/mot-de-passe", {}, "Nouveau mot de passe pour Amina"),
        ("/animation/participants/3/statut", {"active": "0"}, "Désactiver le compte de Amina"),
        ("/animation/participants/3/carte/revoquer", {}, "Arrêter la carte de Amina"),
    ):
        response = client.post(url, data={"csrf_token": token, **data})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and asks in html and "Cela concerne 1 personne" in html, url
        assert "Rien n'est changé tant que vous n'avez pas confirmé." in html and 'href="/animation/participants/3"' in html
    with app.app_context():
        amina = db.session.get(User, 3)
        assert amina.active and amina.check_password("amina-demo")
        assert db.session.scalar(select(func.count()).select_from(SignInToken).where(SignInToken.user_id == 3)) == cards_before
    # Reactivating takes nobody's access away: no question.
    assert client.post("/animation/participants/3/statut", data={"csrf_token": token, "active": "1"}).status_code == 302


def test_nobody_checked_is_answered_in_french(app, client):
    login(client, "animatrice", "animatrice-demo")
    response = client.post(
        "/animation/groupes/1/cartes", data={"csrf_token": token_from(client, "/animation/groupes/1/cartes"), "passwords": "new", "picture_codes": "keep"}
    )
    assert response.status_code == 422 and "Cochez au moins une personne." in response.get_data(as_text=True)


def test_reset_password_and_deactivate(app, client):
    login(client, "animatrice", "animatrice-demo")
    token = token_from(client, "/animation/")
    html = client.post("/animation/participants/3/mot-de-passe", data={"csrf_token": token, "confirmed": "1"}).get_data(as_text=True)
    password = shown_password(html)
    client.post("/animation/participants/3/statut", data={"csrf_token": token, "active": "0", "confirmed": "1"})
    learner = app.test_client()
    page = learner.get("/connexion").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    refused = learner.post("/connexion", data={"csrf_token": csrf, "username": "amina", "password": password})
    assert refused.status_code == 422  # deactivated
    client.post("/animation/participants/3/statut", data={"csrf_token": token, "active": "1"})
    login(app.test_client(), "amina", password)


def test_admin_creates_a_group_a_facilitator_and_assigns_her(app, client):
    login(client, "admin", "admin-demo")
    token = token_from(client, "/animation/admin")
    response = client.post("/animation/admin/groupes", data={"csrf_token": token, "group-name": "Groupe démo"})
    assert response.status_code == 422 and "Un groupe porte déjà ce nom." in response.get_data(as_text=True)
    assert client.post("/animation/admin/groupes", data={"csrf_token": token, "group-name": "Les Ulis – mardi"}).status_code == 302
    html = client.post(
        "/animation/admin/animateurs", data={"csrf_token": token, "facilitator-username": "karima", "facilitator-first_name": "Karima"}
    ).get_data(as_text=True)
    password = shown_password(html)
    with app.app_context():
        from app.models import Group

        group_id = db.session.scalar(select(Group.id).filter_by(name="Les Ulis – mardi"))
        karima = user_id("karima")
    assert client.post(
        f"/animation/admin/groupes/{group_id}/animateurs", data={"csrf_token": token, f"assign-{group_id}-facilitators": [karima]}
    ).status_code == 302
    assert client.post(f"/animation/admin/groupes/{group_id}/renommer", data={"csrf_token": token, f"rename-{group_id}-name": "Les Ulis"}).status_code == 302
    facilitator = app.test_client()
    login(facilitator, "karima", password)
    assert "Les Ulis" in facilitator.get("/animation/").get_data(as_text=True)
    assert facilitator.get(f"/animation/groupes/{group_id}").status_code == 200
    assert facilitator.get("/animation/groupes/1").status_code == 404
    assert client.post(f"/animation/admin/groupes/{group_id}/archiver", data={"csrf_token": token, "archived": "1"}).status_code == 302
    assert "Les Ulis" not in facilitator.get("/animation/").get_data(as_text=True)


def test_cards_print_the_address_the_association_and_its_phone(make_app):
    from app.cli import create_demo_accounts

    for base_url, address in ((None, "localhost"), ("https://pasapas.exemple.fr/", "pasapas.exemple.fr")):
        app = make_app(ASSOCIATION_NAME="Association Numérique pour tous", ASSOCIATION_PHONE="01 69 00 00 00", BASE_URL=base_url)
        with app.app_context():
            create_demo_accounts()
        client = app.test_client()
        login(client, "animatrice", "animatrice-demo")
        html = client.post("/animation/groupes/1/cartes", data={
            "csrf_token": token_from(client, "/animation/groupes/1/cartes"), "learners": [3], "passwords": "keep", "picture_codes": "keep", "confirmed": "1",
        }).get_data(as_text=True)
        card = html.split('<li class="signin-card">', 1)[1].split("</li>", 1)[0]
        assert f'<strong class="signin-address">{address}</strong>' in card
        assert "Une question ? Appelez le 01 69 00 00 00." in card
        assert '<p class="signin-card-brand">Association Numérique pour tous</p>' in card
        # The QR code opens the same address.
        with app.test_request_context():
            assert auth_services.card_url("abc") == ("https://pasapas.exemple.fr" if base_url else "http://localhost") + "/connexion/carte/abc"


def test_the_attestation_names_the_association_and_the_full_name_typed_never_stored(make_app):
    from app.cli import create_demo_accounts

    app = make_app(ASSOCIATION_NAME="Association Numérique pour tous")
    with app.app_context():
        create_demo_accounts()
    client = app.test_client()
    login(client, "animatrice", "animatrice-demo")
    page = client.get("/animation/participants/3/attestation").get_data(as_text=True)
    article = page.split('<article class="certificate">', 1)[1].split("</article>", 1)[0]
    assert "Association Numérique pour tous atteste que Amina a suivi" in article and "Pas à pas" not in article
    full = client.get("/animation/participants/3/attestation?full_name=Amina+Diallo").get_data(as_text=True)
    assert "atteste que Amina Diallo a suivi" in full
    with app.app_context():
        amina = db.session.get(User, 3)
        assert (amina.first_name, amina.last_initial) == ("Amina", "")
    too_long = client.get("/animation/participants/3/attestation?full_name=" + "A" * 161)
    assert too_long.status_code == 422 and "160 caractères au plus." in too_long.get_data(as_text=True)
    assert "atteste que Amina a suivi" in too_long.get_data(as_text=True)
