// The article form's helpers: autosave to the server, who else has the article open,
// a warning before leaving unsaved changes, the body's word count and reading time, and
// length hints for the titles. Only enhances: the form works the same without it.

const aids = document.getElementById("editing-aids");
const form = aids?.closest("form");
const AUTOSAVE_DELAY_MS = 2000;
const PRESENCE_INTERVAL_MS = 30_000;

function post(url, data) {
  return fetch(url, {
    method: "POST",
    body: data,
    credentials: "same-origin",
    headers: { "X-Requested-With": "fetch" },
    redirect: "error", // an expired session answers with the login page: a failure here
  });
}

function csrfData() {
  const data = new FormData();
  data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
  return data;
}

function startAutosave() {
  const status = form.querySelector(".autosave-status");
  let timer = null;
  let dirty = false;
  let submitting = false;

  const save = async () => {
    timer = null;
    try {
      const response = await post(aids.dataset.autosaveUrl, new FormData(form));
      if (!response.ok) throw new Error(response.status);
      const { saved_at: savedAt } = await response.json();
      status.textContent = `Brouillon enregistré automatiquement à ${savedAt}.`;
      status.classList.remove("autosave-status--failed");
    } catch {
      status.textContent =
        "Le brouillon automatique n’a pas pu être enregistré (session expirée ?) : " +
        "gardez cette page ouverte et enregistrez l’article.";
      status.classList.add("autosave-status--failed");
    }
  };

  const changed = (event) => {
    if (event.target.closest(".draft-offer, .merge") && event.target.type === "radio") return;
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(save, AUTOSAVE_DELAY_MS);
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty && !submitting) {
      if (timer) save();
      event.preventDefault();
      event.returnValue = "";
    }
  });
}

function startPresence() {
  const url = aids.dataset.presenceUrl;
  if (!url) return;
  const banner = form.querySelector(".presence");
  const keep = async () => {
    const data = csrfData();
    data.append("action", "keep");
    try {
      const response = await post(url, data);
      if (!response.ok) return;
      const { others } = await response.json();
      banner.replaceChildren(
        ...others.map((line) => Object.assign(document.createElement("p"), { textContent: `${line}.` })),
      );
      banner.hidden = others.length === 0;
    } catch {
      // Offline for a moment: the next beat says again that the page is open.
    }
  };
  setInterval(keep, PRESENCE_INTERVAL_MS);
  window.addEventListener("pagehide", () => {
    const data = csrfData();
    data.append("action", "leave");
    navigator.sendBeacon(url, data);
  });
}

// As articles.models.reading_time: words are runs of letters, digits and "_", at
// WORDS_PER_MINUTE, one minute at least.
function startBodyStats() {
  const body = form.elements.body;
  if (!body) return;
  const perMinute = Number(aids.dataset.wordsPerMinute);
  const stats = Object.assign(document.createElement("p"), { className: "help body-stats" });
  stats.setAttribute("aria-live", "polite");
  (body.closest(".form-row") ?? body.parentElement).append(stats);
  const count = () => {
    const text = new DOMParser().parseFromString(body.value, "text/html").body.textContent;
    const words = (text.match(/[\p{L}\p{N}_]+/gu) ?? []).length;
    const minutes = Math.max(1, Math.ceil(words / perMinute));
    stats.textContent = `${words} mot${words > 1 ? "s" : ""} · ${minutes} min de lecture`;
  };
  body.addEventListener("input", count);
  count();
}

function startLengthHints() {
  for (const input of form.querySelectorAll("[data-recommended-length]")) {
    const limit = Number(input.dataset.recommendedLength);
    const hint = Object.assign(document.createElement("p"), { className: "help length-hint" });
    hint.id = `${input.id}_length`;
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") ?? ""} ${hint.id}`.trim());
    input.after(hint);
    const update = () => {
      const length = [...input.value].length;
      const over = length > limit;
      hint.textContent = over
        ? `${length} caractères : au-delà de ${limit}, la fin risque d’être coupée.`
        : `${length} / ${limit} caractères conseillés.`;
      hint.classList.toggle("length-hint--over", over);
    };
    input.addEventListener("input", update);
    update();
  }
}

if (form) {
  startAutosave();
  startPresence();
  startBodyStats();
  startLengthHints();
}
