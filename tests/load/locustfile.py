"""Participants doing the real journey and facilitators reading their group, for `make load`.

Each quiz submission keeps its client id and is resent until the server acknowledges it
(a redirect to its result), as the phone's offline queue does. The acknowledged ids are
written to LOAD_ACK_FILE when the run stops, to compare with what the database stored.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import uuid

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "charge-mot-de-passe")
PARTICIPANTS = int(os.environ.get("LOAD_PARTICIPANTS", "200"))
GROUP_ID = os.environ.get("LOAD_GROUP_ID", "1")
LESSON_IDS = os.environ.get("LOAD_LESSON_IDS", "").split(",")
ACK_FILE = os.environ.get("LOAD_ACK_FILE", "/tmp/pasapas-load-acks.json")
RESEND_TRIES = 20

CSRF = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
RADIO = re.compile(r'type="(radio|checkbox)" name="(q\d+)" value="([^"]+)"')
numbers = itertools.count(1)
acknowledged: set[str] = set()
unacknowledged: set[str] = set()


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


class SignedInParticipant(HttpUser):
    """What every simulated participant does: sign in, open a lesson, send its quiz. No tasks of its own."""

    abstract = True

    def on_start(self):
        self.username = f"charge{(next(numbers) - 1) % PARTICIPANTS + 1:03d}"
        page = self.client.get("/connexion", name="connexion").text
        self.client.post(
            "/connexion",
            data={"csrf_token": csrf_of(page), "username": self.username, "password": PASSWORD, "remember": "y"},
            name="connexion (envoi)",
        )

    def home(self):
        self.client.get("/", name="accueil")

    def open_lesson(self):
        """A random lesson page; returns what its quiz form would send, with random answers, or None."""
        lesson_id = random.choice(LESSON_IDS)
        page = self.client.get(f"/lecons/{lesson_id}", name="leçon")
        if page.status_code != 200:
            return None
        choices: dict[str, list[str]] = {}
        for _kind, question, value in RADIO.findall(page.text):
            choices.setdefault(question, []).append(value)
        if not choices:
            return None
        form = {"csrf_token": csrf_of(page.text), "client_id": str(uuid.uuid4()), "opened_at": str(int(time.time()) - 60)}
        answers = {q: [random.choice(values)] for q, values in choices.items()}
        return lesson_id, form, answers

    def submit_quiz(self, lesson_id, form, answers):
        data = list(form.items()) + [(q, v) for q, values in answers.items() for v in values]
        unacknowledged.add(form["client_id"])
        for _ in range(RESEND_TRIES):
            with self.client.post(
                f"/lecons/{lesson_id}/quiz", data=data, name="quiz (envoi)", allow_redirects=False, catch_response=True
            ) as response:
                if response.status_code == 302:
                    acknowledged.add(form["client_id"])
                    unacknowledged.discard(form["client_id"])
                    response.success()
                    return
                response.failure(f"statut {response.status_code}")
            time.sleep(1)  # the phone tries again a little later


class Participant(SignedInParticipant):
    weight = 20
    wait_time = between(1, 3)

    @task(3)
    def home_page(self):
        self.home()

    @task(2)
    def progress(self):
        self.client.get("/parcours", name="parcours")

    @task(5)
    def lesson_and_quiz(self):
        opened = self.open_lesson()
        if opened:
            self.submit_quiz(*opened)


class Facilitator(HttpUser):
    weight = 1
    wait_time = between(2, 5)

    def on_start(self):
        page = self.client.get("/connexion", name="connexion").text
        self.client.post(
            "/connexion",
            data={"csrf_token": csrf_of(page), "username": "charge-animatrice", "password": PASSWORD},
            name="connexion (envoi)",
        )

    @task(3)
    def group_view(self):
        self.client.get(f"/animation/groupes/{GROUP_ID}", name="vue du groupe")

    @task(1)
    def export(self):
        self.client.get(f"/animation/groupes/{GROUP_ID}/export.csv", name="export CSV")


@events.quitting.add_listener
def write_acknowledged(environment, **_kwargs):
    with open(ACK_FILE, "w") as out:
        json.dump({"acknowledged": sorted(acknowledged), "unacknowledged": sorted(unacknowledged)}, out)
