// Pas à pas: small additions to pages that already work without JavaScript:
// text size, reading aloud, an offline queue for quiz answers, and the service worker.
"use strict";

const TEXTS = JSON.parse(document.getElementById("js-texts").textContent);
// The page as the browser received it (nothing below has changed it yet), for the service worker
// to keep when it was not running yet: it then needs no second download of the page.
const RECEIVED_PAGE =
  "serviceWorker" in navigator && !navigator.serviceWorker.controller
    ? `<!doctype html>\n${document.documentElement.outerHTML}`
    : null;

function storageGet(key) {
  try {
    return window.localStorage.getItem(key);
  } catch (error) {
    return null; // storage refused (private mode): the page works, nothing is remembered
  }
}

function storageSet(key, value) {
  try {
    window.localStorage.setItem(key, value);
    return true;
  } catch (error) {
    return false;
  }
}

/* Text size: A− / A+, remembered on this phone. Level 0 is the 18 px default, never smaller. */

const TEXT_SIZE_KEY = "pasapas-text-size";
const TEXT_SIZE_LEVELS = 4;

function applyTextSize(level) {
  document.documentElement.dataset.textSize = String(level);
  document.querySelectorAll("[data-text-size-step]").forEach((button) => {
    const step = Number(button.dataset.textSizeStep);
    button.disabled = level + step < 0 || level + step >= TEXT_SIZE_LEVELS;
  });
}

function setUpTextSize() {
  const control = document.querySelector("[data-text-size-control]");
  if (!control) return;
  let level = Math.min(Math.max(Number(storageGet(TEXT_SIZE_KEY)) || 0, 0), TEXT_SIZE_LEVELS - 1);
  applyTextSize(level);
  control.hidden = false;
  control.addEventListener("click", (event) => {
    const button = event.target.closest("[data-text-size-step]");
    if (!button) return;
    level = Math.min(Math.max(level + Number(button.dataset.textSizeStep), 0), TEXT_SIZE_LEVELS - 1);
    applyTextSize(level);
    storageSet(TEXT_SIZE_KEY, String(level));
    if (button.disabled) control.querySelector("button:not([disabled])").focus();
  });
}

/* « Voir le mot de passe »: the password field shows what was typed, and hides it again. */

function setUpPasswordReveal() {
  document.querySelectorAll("[data-password-reveal]").forEach((button) => {
    const field = document.getElementById(button.getAttribute("aria-controls"));
    const showText = button.textContent;
    button.hidden = false;
    button.addEventListener("click", () => {
      const shown = field.type === "password";
      field.type = shown ? "text" : "password";
      button.textContent = shown ? button.dataset.hideText : showText;
    });
  });
}

/* Read aloud: the browser's French voice reads one block at a time, and that block is highlighted.
   Without a French voice, or when the phone does not speak, a message says so and what to do. */

const READABLE = "h1, h2, h3, h4, p, li, legend, label, figcaption, blockquote, th, td";
let reading = null; // { controls, blocks, index }

function frenchVoice() {
  const voices = window.speechSynthesis.getVoices();
  return voices.find((voice) => voice.lang === "fr-FR") || voices.find((voice) => voice.lang.startsWith("fr"));
}

// The browser may list its voices a moment after the page loads: wait for them, a little.
function whenVoicesKnown() {
  if (window.speechSynthesis.getVoices().length) return Promise.resolve();
  return new Promise((resolve) => {
    window.speechSynthesis.addEventListener("voiceschanged", resolve, { once: true });
    window.setTimeout(resolve, 1500);
  });
}

// Said in words beside the buttons, never a silent failure.
function sayProblem(controls, text) {
  const problem = controls.querySelector("[data-read-aloud-problem]");
  problem.textContent = text;
  problem.hidden = !text;
}

function readableBlocks(target) {
  const blocks = [...target.querySelectorAll(READABLE)].filter(
    (block) => !block.closest("[data-read-aloud-slot], [data-no-read], .visually-hidden") && block.textContent.trim()
  );
  // Read a list item or a legend whole, not again each paragraph inside it.
  return blocks.filter((block) => !blocks.some((other) => other !== block && other.contains(block)));
}

function showButtons(controls, state) {
  const visible = { idle: ["play"], playing: ["pause", "stop"], paused: ["resume", "stop"] }[state];
  const focused = controls.contains(document.activeElement);
  controls.querySelectorAll("[data-action]").forEach((button) => {
    button.hidden = !visible.includes(button.dataset.action);
  });
  if (focused) controls.querySelector(`[data-action="${visible[0]}"]`).focus();
}

function markBlock(block) {
  document.querySelectorAll(".reading").forEach((element) => element.classList.remove("reading"));
  if (block) {
    block.classList.add("reading");
    block.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }
}

function stopReading(problem) {
  if (!reading) return;
  const controls = reading.controls;
  window.clearTimeout(reading.watchdog);
  reading = null;
  window.speechSynthesis.cancel();
  markBlock(null);
  showButtons(controls, "idle");
  if (problem) sayProblem(controls, problem);
}

function readNext(session) {
  if (reading !== session) return;
  if (session.index >= session.blocks.length) {
    stopReading();
    return;
  }
  const block = session.blocks[session.index];
  markBlock(block);
  const utterance = new SpeechSynthesisUtterance(block.innerText || block.textContent);
  utterance.lang = "fr-FR";
  const voice = frenchVoice();
  if (voice) utterance.voice = voice;
  utterance.rate = 0.95;
  utterance.onstart = () => window.clearTimeout(session.watchdog);
  utterance.onend = () => {
    session.index += 1;
    readNext(session);
  };
  utterance.onerror = (event) => {
    if (event.error !== "interrupted" && event.error !== "canceled") stopReading(TEXTS.speech_failed);
  };
  window.speechSynthesis.speak(utterance);
  // Some phones accept the text and never speak: if the first block has not started, say so.
  if (session.index === 0) {
    session.watchdog = window.setTimeout(() => {
      if (reading === session && !window.speechSynthesis.speaking) stopReading(TEXTS.speech_failed);
    }, 5000);
  }
}

async function startReading(controls, target) {
  stopReading();
  sayProblem(controls, "");
  await whenVoicesKnown();
  if (!frenchVoice()) {
    sayProblem(controls, TEXTS.no_voice);
    return;
  }
  reading = { controls, blocks: readableBlocks(target), index: 0 };
  showButtons(controls, "playing");
  readNext(reading);
}

function setUpReadAloud() {
  const template = document.getElementById("read-aloud-controls");
  if (!template) return;
  if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) {
    document.querySelectorAll("[data-read-aloud-slot]").forEach((slot) => slot.remove());
    return;
  }
  document.querySelectorAll("[data-read-aloud]").forEach((target) => {
    const controls = template.content.firstElementChild.cloneNode(true);
    target.querySelector("[data-read-aloud-slot]").append(controls);
    controls.addEventListener("click", (event) => {
      const button = event.target.closest("[data-action]");
      if (!button) return;
      const action = button.dataset.action;
      if (action === "play") {
        startReading(controls, target);
      } else if (action === "pause") {
        window.speechSynthesis.pause();
        showButtons(controls, "paused");
      } else if (action === "resume") {
        window.speechSynthesis.resume();
        showButtons(controls, "playing");
      } else {
        stopReading();
      }
    });
  });
  window.addEventListener("pagehide", stopReading);
}

/* Glossary words: without JavaScript a word's link leads to the glossary page; here it opens the
   definition the page already holds, just after the word, where reading aloud reads it too. */

function setUpGlossary() {
  document.querySelectorAll(".glossary-link").forEach((link, index) => {
    const definition = link.nextElementSibling;
    if (!definition || !definition.classList.contains("glossary-definition")) return;
    definition.id = `glossary-definition-${index}`;
    link.setAttribute("aria-controls", definition.id);
    link.setAttribute("aria-expanded", "false");
    link.addEventListener("click", (event) => {
      event.preventDefault();
      definition.hidden = !definition.hidden;
      link.setAttribute("aria-expanded", String(!definition.hidden));
    });
  });
}

/* Offline forms: quiz answers and help requests given without a connection are kept on this phone,
   then sent once. A form says which it is with data-offline-queue="quiz" or "help"; its texts are TEXTS[kind]. */

const learner = document.body.dataset.learner;
const QUEUE_KEY = `pasapas-quiz-queue-${learner}`;
let sending = false;

function loadQueue() {
  try {
    return JSON.parse(storageGet(QUEUE_KEY)) || {};
  } catch (error) {
    return {};
  }
}

function saveQueue(queue) {
  return storageSet(QUEUE_KEY, JSON.stringify(queue));
}

function newClientId() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return [...bytes].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

// A live region just before `anchor` (created once) for messages about what is kept on the phone.
function statusArea(anchor) {
  let area = anchor.parentElement.querySelector(":scope > [data-quiz-status]");
  if (!area) {
    area = document.createElement("div");
    area.dataset.quizStatus = "";
    area.setAttribute("role", "status");
    anchor.before(area);
  }
  return area;
}

function say(area, text, kind, link, linkText) {
  const message = document.createElement("p");
  message.className = `flash flash-${kind}`;
  message.textContent = text;
  if (link) {
    const anchor = document.createElement("a");
    anchor.href = link;
    anchor.textContent = linkText;
    message.append(" ", anchor);
  }
  area.replaceChildren(message);
}

// A quiz is keyed by its client id (the server stores it once); a help request by its lesson
// (the server keeps one open request per lesson, so the latest one kept replaces the previous).
function queueKey(form, data) {
  return form.dataset.offlineQueue === "quiz" ? data.get("client_id") : `help ${form.action}`;
}

function keepOnPhone(form) {
  const kind = form.dataset.offlineQueue;
  const data = new URLSearchParams(new FormData(form));
  const queue = loadQueue();
  queue[queueKey(form, data)] = { kind, url: form.action, body: data.toString(), tries: 0 };
  if (!saveQueue(queue)) return false;
  // Beside the button just pressed, where the person is looking.
  const area = statusArea(form.querySelector('[type="submit"]'));
  say(area, TEXTS[kind].kept, "info");
  area.scrollIntoView({ block: "center" });
  return true;
}

async function submitKept(event) {
  const form = event.target;
  event.preventDefault();
  if (!navigator.onLine) {
    if (!keepOnPhone(form)) form.submit();
    return;
  }
  try {
    // navigator.onLine can say yes on a network that goes nowhere: ask the server for its smallest
    // file (never from a cache), then send the answers once, as the form does without JavaScript.
    await fetch("/favicon.ico", { method: "HEAD", cache: "no-store" });
  } catch (error) {
    if (!keepOnPhone(form)) form.submit();
    return;
  }
  // The server answered: send the form itself to show its page (the result, or what is missing).
  // A quiz sent twice is stored once: the same client id.
  form.submit();
}

async function sendQueue() {
  if (sending || !learner || !navigator.onLine) return;
  const queue = loadQueue();
  const ids = Object.keys(queue);
  if (!ids.length) return;
  sending = true;
  // A token of this page belongs to the current session, even if the person signed in again since.
  const token = document.querySelector('input[name="csrf_token"]');
  const area =
    document.querySelector("[data-quiz-status]") || statusArea(document.getElementById("contenu").firstElementChild);
  try {
    for (const id of ids) {
      const item = queue[id];
      const texts = TEXTS[item.kind || "quiz"];
      const body = new URLSearchParams(item.body);
      if (token) body.set("csrf_token", token.value);
      const response = await fetch(item.url, { method: "POST", body });
      await forgetKeptLesson(item.url);
      if (response.ok && response.redirected && !new URL(response.url).pathname.startsWith("/connexion")) {
        delete queue[id];
        say(area, texts.sent, "success", response.url, texts.see);
      } else if (response.status >= 400 && response.status < 500 && (item.tries += 1) >= 3) {
        delete queue[id]; // refused three times: it will never be accepted
        say(area, texts.refused, "error");
      }
      saveQueue(queue);
    }
  } catch (error) {
    // Still no connection: what was kept stays on the phone until the next try.
  } finally {
    sending = false;
  }
}

function setUpOfflineForms() {
  document.querySelectorAll("[data-offline-queue]").forEach((form) => {
    // A page reopened from the phone's cache carries an id that may already be used: one per page view.
    if (form.elements.client_id) form.elements.client_id.value = newClientId();
    form.addEventListener("submit", submitKept);
  });
  window.addEventListener("online", sendQueue);
  sendQueue();
}

/* A quiz sent with missing answers comes back at its list of them: go on to the first one. */

function setUpMissingAnswers() {
  const first = document.querySelector("[data-quiz-missing]") && document.querySelector(".question-missing");
  if (!first) return;
  // Once loaded: the browser's own move to #quiz comes first.
  const goThere = () => {
    first.scrollIntoView({ block: "start" });
    first.querySelector("input").focus({ preventScroll: true });
  };
  if (document.readyState === "complete") goThere();
  else window.addEventListener("load", goThere, { once: true });
}

/* Lessons this phone keeps for reading without a connection (the service worker's cache) are marked. */

async function markKeptPages() {
  const links = document.querySelectorAll("[data-offline-mark]");
  const person = document.querySelector('meta[name="pasapas-person"]');
  if (!links.length || !person || !("caches" in window)) return;
  try {
    // This person's pages only: the service worker keeps each person's apart.
    const cache = await window.caches.open(PAGES_PREFIX + person.content);
    for (const link of links) {
      if (await cache.match(link.href, { ignoreVary: true })) {
        const mark = document.createElement("span");
        mark.className = "kept-offline";
        mark.textContent = TEXTS.kept_offline;
        link.after(mark);
      }
    }
  } catch (error) {
    // No cache on this phone (private mode): nothing to mark.
  }
}

/* Practice questions: a marker where the finger landed before sending, and hints opened in place. */

function setUpPractice() {
  document.querySelectorAll("[data-tap]").forEach((picture) => {
    const question = picture.closest("fieldset");
    const point = question.querySelector("[data-tap-point]");
    const marker = question.querySelector("[data-tap-marker]");
    picture.addEventListener("click", (event) => {
      // Enter in a text field sends the form through its first button, this picture, with no tap:
      // let it send (the server ignores a tap at 0,0).
      if (event.detail === 0) return;
      event.preventDefault(); // keep the tap, send it with the other answers
      // The picture is never scaled: the offset is in its own pixels, as the server expects.
      const x = Math.round(event.offsetX);
      const y = Math.round(event.offsetY);
      point.value = `${x},${y}`;
      marker.setAttribute("cx", x);
      marker.setAttribute("cy", y);
      marker.removeAttribute("hidden"); // an SVG element: no `hidden` property
      question.querySelectorAll(`input[name="${picture.name}"]:checked`).forEach((input) => {
        input.checked = false;
      });
    });
    question.querySelectorAll(`input[name="${picture.name}"]`).forEach((input) => {
      input.addEventListener("change", () => {
        point.value = "";
        marker.setAttribute("hidden", "");
      });
    });
  });
  document.querySelectorAll("[data-hint-button]").forEach((button) => {
    const hints = button.closest("[data-hints]");
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const next = hints.querySelector("template[data-hint]");
      if (!next) return;
      hints.querySelector("[data-hint-list]").append(next.content.cloneNode(true));
      next.remove();
      const count = hints.querySelector("[data-hints-count]");
      count.value = String(Number(count.value) + 1);
      if (!hints.querySelector("template[data-hint]")) button.hidden = true;
    });
  });
}

/* Connection note, service worker, and forgetting the pages kept on this phone at sign-out. */

// The prefix of the service worker's caches of pages, one per person (templates/pages/sw.js).
const PAGES_PREFIX = "pasapas-pages-";

// Answers, help or « J'ai terminé » sent about a lesson change what its page shows: the copy this
// phone keeps of it (which the service worker shows at once) is dropped, so it is never out of date.
async function forgetKeptLesson(action) {
  const lesson = new URL(action, window.location.href).pathname.match(/^(\/lecons\/(?!media\/)[^/]+)\/./);
  const person = document.querySelector('meta[name="pasapas-person"]');
  if (!lesson || !person || !("caches" in window)) return;
  try {
    await (await window.caches.open(PAGES_PREFIX + person.content)).delete(new URL(lesson[1], window.location.href).href, { ignoreVary: true });
  } catch (error) {
    // No cache on this phone (private mode): nothing kept, nothing to drop.
  }
}
document.addEventListener("submit", (event) => forgetKeptLesson(event.target.action), true);

function setUpConnection() {
  const note = document.querySelector("[data-connection-note]");
  const update = () => {
    note.hidden = navigator.onLine;
  };
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();

  if ("serviceWorker" in navigator) {
    const firstVisit = !navigator.serviceWorker.controller;
    // After the page has loaded, so that installing the worker never slows the first display.
    const register = () => navigator.serviceWorker.register(document.body.dataset.serviceWorker).catch(() => {});
    if (document.readyState === "complete") register();
    else window.addEventListener("load", register);
    if (firstVisit && learner) {
      // This page came before the service worker: ask it to keep this page too.
      navigator.serviceWorker.ready.then((registration) => {
        registration.active.postMessage({ keep: window.location.href, html: RECEIVED_PAGE });
      });
    }
  }
  // The service worker forgets them too when it sees the session ended (whatever ended it); this
  // forgets them before the request leaves, even if no answer comes back.
  if ("caches" in window) {
    document.querySelectorAll("[data-logout]").forEach((logout) => {
      logout.addEventListener("submit", (event) => {
        event.preventDefault();
        window.caches.keys()
          .then((names) => Promise.all(names.filter((name) => name.startsWith(PAGES_PREFIX)).map((name) => window.caches.delete(name))))
          .finally(() => logout.submit());
      });
    });
  }
}

// A page shown from the phone's copy carries the form token of the session that copy was made in:
// the worker sends the token of the fresh copy it fetched behind it, or asks for the page again
// when that copy was another session's. Listened to at once, so that no message comes before.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data && event.data.reload) window.location.reload();
    if (!event.data || !event.data.csrfToken) return;
    document.querySelectorAll('input[name="csrf_token"]').forEach((input) => {
      input.value = event.data.csrfToken;
    });
    sendQueue();
  });
}

setUpTextSize();
setUpPasswordReveal();
setUpMissingAnswers();
// Each in a task of its own: on a slow phone no single task holds the page for long.
[setUpReadAloud, setUpGlossary, setUpOfflineForms, setUpPractice, setUpConnection, markKeptPages].forEach((setUp) => window.setTimeout(setUp, 0));
