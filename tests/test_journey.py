"""The participant journey through the test client: sign in, continue, lesson, quiz, progress."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from app.content import load_library
from app.extensions import db
from app.models import QuizAttempt
from tests.conftest import csrf_token
from tests.test_content_rendering import parsed_elements

LIBRARY = load_library(Path(__file__).parent / "fixtures" / "lessons")
FIRST = LIBRARY.lesson("demo-premiers-pas")


def hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]+)"', html).group(1)


def quiz_form(html: str, answers: dict[str, list[str]]) -> dict:
    form = {name: hidden(html, name) for name in ("csrf_token", "client_id")}
    return form | answers


def right_answers(lesson) -> dict[str, list[str]]:
    return {q.key: sorted(q.right_keys) for q in lesson.quiz.questions}


def wrong_answers(lesson) -> dict[str, list[str]]:
    return {q.key: [next(c.key for c in q.choices if not c.correct)] for q in lesson.quiz.questions}


def attempts_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(QuizAttempt))


def test_whole_journey(app, client, auth):
    # Sign in lands on a home page that greets by first name, with "Continuer" and the modules.
    response = auth.login(follow=True)
    home = response.get_data(as_text=True)
    assert "Bonjour Amina !" in home
    assert f'href="/lecons/{FIRST.id}"' in home and "Continuer" in home
    assert "Découvrir Pas à pas" in home and "Aller plus loin" in home
    assert "0 leçon sur 3 terminée" in home

    # The module page lists lessons with duration and state, in words.
    module = client.get("/modules/demo").get_data(as_text=True)
    assert module.index("Premiers pas") < module.index("Une leçon sans quiz") < module.index("Une leçon exigeante")
    assert "5 minutes" in module and "À faire" in module

    # The lesson page shows the lesson and its quiz, without revealing answers or explanations.
    lesson = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    assert "Comment avancer" in lesson and 'class="box box-remember"' in lesson
    assert "Commencée" in lesson
    for question in FIRST.quiz.questions:
        assert question.explanation_html not in lesson
        for choice in question.choices:
            if choice.explanation_html:
                assert choice.explanation_html not in lesson
    assert "correct" not in lesson.lower() and "Explication" not in lesson

    # Wrong answers: the score, each answer marked, the right answer and the explanation.
    response = client.post(f"/lecons/{FIRST.id}/quiz", data=quiz_form(lesson, wrong_answers(FIRST)))
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "0 bonne réponse sur 3" in result and "(s)" not in result and " %" not in result
    assert "Il faut 3 bonnes réponses sur 3 pour terminer la leçon." in result
    assert result.count("Réponse fausse") == 3
    assert "La bonne réponse :" in result
    assert "vos progrès sont enregistrés à chaque étape" in result  # the explanation
    assert "Vous pouvez recommencer autant que vous voulez." in result  # the chosen choice's own note
    # After a failure the main button is « Réessayer », and help is offered.
    assert re.search(r'class="button button-primary" href="/lecons/demo-premiers-pas#quiz">.*Réessayer', result)
    assert "Leçon suivante" not in result.split("Les réponses")[0]
    assert 'href="/lecons/demo-premiers-pas/aide"' in result
    assert "Commencée" in client.get("/modules/demo").get_data(as_text=True)

    # Retry with the right answers: the lesson is done.
    lesson = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    response = client.post(f"/lecons/{FIRST.id}/quiz", data=quiz_form(lesson, right_answers(FIRST)))
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 bonnes réponses sur 3" in result and "Bravo ! La leçon est terminée." in result
    assert re.search(r'class="button button-primary" href="/lecons/demo-sans-quiz">.*Leçon suivante', result)
    assert 'href="/lecons/demo-premiers-pas/aide"' not in result  # passed: no help offered here
    assert attempts_count(app) == 2

    # "Continuer" now points to the next lesson; the module counts one lesson done.
    home = client.get("/").get_data(as_text=True)
    assert 'href="/lecons/demo-sans-quiz"' in home.split("Les modules")[0]
    assert "1 leçon sur 3 terminée" in home

    # A lesson without a quiz is finished with "J'ai terminé".
    plain = client.get("/lecons/demo-sans-quiz").get_data(as_text=True)
    assert "J&#39;ai terminé" in plain or "J'ai terminé" in plain
    response = client.post("/lecons/demo-sans-quiz/terminer", data={"csrf_token": csrf_token(plain)})
    assert response.headers["Location"] == "/lecons/demo-bonus"

    # "Mon parcours": lessons done, best scores and time spent per module.
    journey = client.get("/parcours").get_data(as_text=True)
    assert "2 leçons sur 3 terminées" in journey
    assert "3/3" in journey and "sans quiz" in journey
    assert "Temps passé" in journey

    # Sign out: the pages need signing in again.
    assert auth.logout().headers["Location"] == "/connexion"
    assert client.get("/").status_code == 302


def test_one_missing_answer_is_named_alone(client, auth):
    auth.login()
    page = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    answers = right_answers(FIRST)
    del answers["q2"]
    again = client.post(f"/lecons/{FIRST.id}/quiz", data=quiz_form(page, answers)).get_data(as_text=True)
    assert 'Il manque la question <a href="#q2">2</a>.' in again


def test_lessons_are_numbered_and_end_with_where_to_go_next(client, auth):
    auth.login()
    module = client.get("/modules/demo").get_data(as_text=True)
    assert [int(n) for n in re.findall(r'<span class="lesson-number">Leçon (\d+)</span>', module)] == [1, 2, 3]
    lesson = client.get("/lecons/demo-sans-quiz").get_data(as_text=True)
    assert "Leçon 2</p>" in lesson
    end = lesson.split('class="lesson-end"')[1]
    assert 'href="/lecons/demo-bonus"' in end and "Leçon suivante : " in end
    assert 'href="/modules/demo"' in end and "Revenir au module" in end
    last = client.get(f"/lecons/{LIBRARY.ordered_lessons[-1].id}").get_data(as_text=True).split('class="lesson-end"')[1]
    assert "Leçon suivante" not in last and "Revenir au module" in last


def test_pass_mark_of_the_lesson_decides_completion(client, auth):
    auth.login()
    lesson = LIBRARY.lesson("demo-bonus")  # pass mark 100 %
    answers = right_answers(lesson) | {"q1": ["vrai"]}
    page = client.get(f"/lecons/{lesson.id}").get_data(as_text=True)
    result = client.get(client.post(f"/lecons/{lesson.id}/quiz", data=quiz_form(page, answers)).headers["Location"])
    text = result.get_data(as_text=True)
    assert "1 bonne réponse sur 2" in text and "Il faut 2 bonnes réponses sur 2 pour terminer la leçon." in text
    assert "Commencée" in client.get("/modules/demo").get_data(as_text=True)


def test_missing_answers_show_the_form_again_with_the_answers_kept(app, client, auth):
    auth.login()
    page = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    chosen = right_answers(FIRST)["q1"][0]
    response = client.post(f"/lecons/{FIRST.id}/quiz", data=quiz_form(page, {"q1": [chosen]}))
    assert response.status_code == 422
    again = response.get_data(as_text=True)
    # The form's address ends with #quiz: the page comes back at the quiz, where the missing questions are linked.
    assert f'action="/lecons/{FIRST.id}/quiz#quiz"' in again
    assert 'Il manque les questions <a href="#q2">2</a> et <a href="#q3">3</a>.' in again
    assert "Vos autres réponses sont gardées." in again
    assert re.search(rf'value="{chosen}"\s+checked', again)
    assert hidden(again, "client_id") == hidden(page, "client_id")
    assert attempts_count(app) == 0


def test_tampered_answers_get_a_clean_400(app, client, auth):
    auth.login()
    page = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    for tampered in ({"q1": ["inconnu"]}, {"q99": ["vrai"]}, {"q3": ["vrai", "faux"]}):
        response = client.post(f"/lecons/{FIRST.id}/quiz", data=quiz_form(page, right_answers(FIRST) | tampered))
        assert response.status_code == 400
        assert "Demande incorrecte" in response.get_data(as_text=True)
    form = quiz_form(page, right_answers(FIRST)) | {"client_id": "<script>"}
    assert client.post(f"/lecons/{FIRST.id}/quiz", data=form).status_code == 400
    assert attempts_count(app) == 0


def test_the_same_submission_sent_twice_is_stored_once(app, client, auth):
    auth.login()
    page = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    form = quiz_form(page, right_answers(FIRST))
    first = client.post(f"/lecons/{FIRST.id}/quiz", data=form)
    second = client.post(f"/lecons/{FIRST.id}/quiz", data=form)
    assert first.headers["Location"] == second.headers["Location"]
    assert attempts_count(app) == 1


def test_another_learner_cannot_reuse_a_submission_or_see_a_result(app, client, auth):
    auth.login()
    page = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    form = quiz_form(page, right_answers(FIRST))
    result_url = client.post(f"/lecons/{FIRST.id}/quiz", data=form).headers["Location"]
    auth.logout()
    auth.login("josiane", "josiane-demo")
    assert client.get(result_url).status_code == 404
    other_page = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    stolen = form | {"csrf_token": csrf_token(other_page)}
    assert client.post(f"/lecons/{FIRST.id}/quiz", data=stolen).status_code == 400
    assert attempts_count(app) == 1


def test_unknown_module_or_lesson_is_a_french_404(client, auth):
    auth.login()
    for url in ("/modules/inconnu", "/lecons/inconnue", "/lecons/inconnue/resultats/1", "/lecons/media/inconnu/a.svg"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Page introuvable" in response.get_data(as_text=True)


def test_lesson_images_are_served_to_signed_in_learners(client, auth):
    auth.login()
    lesson = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    (src,) = [dict(attrs)["src"] for tag, attrs in parsed_elements(lesson)
              if tag == "img" and dict(attrs).get("alt") == "Un téléphone avec une leçon ouverte"]
    with client.get(src) as image:
        assert image.status_code == 200 and image.mimetype == "image/svg+xml"
        assert image.cache_control.max_age == 7 * 24 * 3600
    assert client.get("/lecons/media/demo/../module.yml").status_code == 404


def test_progress_is_kept_by_lesson_id_when_files_are_renamed(app, client, auth, make_app, tmp_path):
    import shutil

    auth.login()
    page = client.get(f"/lecons/{FIRST.id}").get_data(as_text=True)
    client.post(f"/lecons/{FIRST.id}/quiz", data=quiz_form(page, right_answers(FIRST)))

    renamed = tmp_path / "renamed"
    shutil.copytree(Path(app.config["LESSONS_DIR"]), renamed)
    (renamed / "01-demo" / "01-premiers-pas.md").rename(renamed / "01-demo" / "09-renomme.md")
    app.config["LESSONS_DIR"] = renamed
    from app import lesson_library

    lesson_library.init_app(app)
    module = client.get("/modules/demo").get_data(as_text=True)
    assert module.index("Une leçon sans quiz") < module.index("Premiers pas")
    assert "Terminée" in module
