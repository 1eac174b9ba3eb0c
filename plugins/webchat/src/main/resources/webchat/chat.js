// The web chat page: one conversation per browser (its id kept in localStorage), the transcript streamed from the
// server as server-sent events (so a reload or a second tab shows the same conversation), messages posted as JSON.
"use strict";

const storageKey = "grambot.webchat:" + location.pathname;
const log = document.getElementById("log");
const status = document.getElementById("status");
const form = document.getElementById("form");
const text = document.getElementById("text");
let events = null;
let conversationId = localStorage.getItem(storageKey);
let waitingAfter = 0; // the number of the last message sent that has no answer yet
let lastAnswer = 0; // the number of the last entry not written by this person

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body || {}),
  });
  const answer = await response.json().catch(() => ({ error: "the server answered " + response.status }));
  if (!response.ok) {
    throw new Error(answer.error || "the server answered " + response.status);
  }
  return answer;
}

function show(entry) {
  const item = document.createElement("div");
  item.className = "entry " + entry.from;
  item.dataset.seq = entry.seq;
  item.textContent = entry.text || "";
  for (const file of entry.attachments || []) {
    const url = "data:" + file.mediaType + ";base64," + file.base64;
    if (file.mediaType.startsWith("image/")) {
      const image = document.createElement("img");
      image.src = url;
      image.alt = file.fileName || "image";
      item.appendChild(image);
    } else {
      const link = document.createElement("a");
      link.href = url;
      link.download = file.fileName || "file";
      link.textContent = file.fileName || "file";
      item.appendChild(link);
    }
  }
  log.appendChild(item);
  log.scrollTop = log.scrollHeight;
  if (entry.from !== "user") {
    lastAnswer = Math.max(lastAnswer, entry.seq);
    if (entry.seq > waitingAfter) {
      waitingAfter = 0;
      status.textContent = "";
    }
  }
}

function listen() {
  if (events) {
    events.close();
  }
  log.replaceChildren();
  lastAnswer = 0;
  events = new EventSource("api/conversations/" + encodeURIComponent(conversationId) + "/events");
  events.addEventListener("message", (event) => show(JSON.parse(event.data)));
  events.onerror = () => { status.textContent = "Reconnecting…"; };
  events.onopen = () => { status.textContent = waitingAfter ? "The bot is thinking…" : ""; };
}

async function start(fresh) {
  if (fresh || !conversationId) {
    conversationId = (await post("api/conversations")).conversationId;
    localStorage.setItem(storageKey, conversationId);
  }
  listen();
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = text.value.trim();
  if (!message) {
    return;
  }
  text.value = "";
  try {
    const accepted = await post("api/conversations/" + encodeURIComponent(conversationId) + "/messages",
        { text: message });
    if (lastAnswer < accepted.seq) { // the answer may have streamed in before this reply
      waitingAfter = accepted.seq;
      status.textContent = "The bot is thinking…";
    }
  } catch (error) {
    text.value = message;
    status.textContent = error.message;
  }
});

text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

document.getElementById("new").addEventListener("click", () => start(true).catch((e) => { status.textContent = e.message; }));

start(false).catch((error) => { status.textContent = "The chat could not start: " + error.message; });
