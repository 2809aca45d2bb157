// Pas à pas: small additions to pages that already work without JavaScript:
// text size, reading aloud, an offline queue for quiz answers, and the service worker.
"use strict";

const TEXTS = JSON.parse(document.getElementById("js-texts").textContent);

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

/* Read aloud: the browser's French voice reads one block at a time, and that block is highlighted. */

const READABLE = "h1, h2, h3, h4, p, li, legend, label, figcaption, blockquote, th, td";
let reading = null; // { controls, blocks, index }

function frenchVoice() {
  const voices = window.speechSynthesis.getVoices();
  return voices.find((voice) => voice.lang === "fr-FR") || voices.find((voice) => voice.lang.startsWith("fr"));
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

function stopReading() {
  if (!reading) return;
  const controls = reading.controls;
  reading = null;
  window.speechSynthesis.cancel();
  markBlock(null);
  showButtons(controls, "idle");
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
  utterance.onend = () => {
    session.index += 1;
    readNext(session);
  };
  utterance.onerror = (event) => {
    if (event.error !== "interrupted" && event.error !== "canceled") stopReading();
  };
  window.speechSynthesis.speak(utterance);
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
        stopReading();
        reading = { controls, blocks: readableBlocks(target), index: 0 };
        showButtons(controls, "playing");
        readNext(reading);
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

/* Offline quiz: answers given without a connection are kept on this phone, then sent once. */

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

// A live region just before `anchor` (created once) for messages about the answers kept on the phone.
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

function say(area, text, kind, link) {
  const message = document.createElement("p");
  message.className = `flash flash-${kind}`;
  message.textContent = text;
  if (link) {
    const anchor = document.createElement("a");
    anchor.href = link;
    anchor.textContent = TEXTS.see_result;
    message.append(" ", anchor);
  }
  area.replaceChildren(message);
}

function keepOnPhone(form) {
  const data = new URLSearchParams(new FormData(form));
  const queue = loadQueue();
  queue[data.get("client_id")] = { url: form.action, body: data.toString(), tries: 0 };
  if (!saveQueue(queue)) return false;
  // Beside the button just pressed, where the person is looking.
  const area = statusArea(form.querySelector('[type="submit"]'));
  say(area, TEXTS.offline_saved, "info");
  area.scrollIntoView({ block: "center" });
  return true;
}

async function submitQuiz(event) {
  const form = event.target;
  event.preventDefault();
  if (!navigator.onLine) {
    if (!keepOnPhone(form)) form.submit();
    return;
  }
  try {
    // Not following the redirect: the result page is loaded once, by the form below.
    await fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), redirect: "manual" });
  } catch (error) {
    if (!keepOnPhone(form)) form.submit();
    return;
  }
  // The server answered: send the form itself to show its page (the result, or what is missing).
  // Its client id is the same, so the attempt the request above stored is not stored again.
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
      const body = new URLSearchParams(item.body);
      if (token) body.set("csrf_token", token.value);
      const response = await fetch(item.url, { method: "POST", body });
      if (response.ok && response.redirected && !new URL(response.url).pathname.startsWith("/connexion")) {
        delete queue[id];
        say(area, TEXTS.sent, "success", response.url);
      } else if (response.status >= 400 && response.status < 500 && (item.tries += 1) >= 3) {
        delete queue[id]; // refused three times: it will never be accepted
        say(area, TEXTS.refused, "error");
      }
      saveQueue(queue);
    }
  } catch (error) {
    // Still no connection: the answers stay on the phone until the next try.
  } finally {
    sending = false;
  }
}

function setUpOfflineQuiz() {
  document.querySelectorAll(".quiz-form").forEach((form) => {
    // A page reopened from the phone's cache carries an id that may already be used: one per page view.
    form.elements.client_id.value = newClientId();
    form.addEventListener("submit", submitQuiz);
  });
  window.addEventListener("online", sendQueue);
  sendQueue();
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
        registration.active.postMessage({ keep: window.location.href });
      });
    }
  }
  const logout = document.querySelector("[data-logout]");
  if (logout && "caches" in window) {
    logout.addEventListener("submit", (event) => {
      event.preventDefault();
      window.caches.delete("pasapas-pages").finally(() => logout.submit());
    });
  }
}

setUpTextSize();
// Each in a task of its own: on a slow phone no single task holds the page for long.
[setUpReadAloud, setUpGlossary, setUpOfflineQuiz, setUpPractice, setUpConnection].forEach((setUp) => window.setTimeout(setUp, 0));
