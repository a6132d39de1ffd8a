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

// The media library's picker (images/picker.js), for the body and the lead image.
function startPicker() {
  const url = aids.dataset.pickerUrl;
  if (!url) return;
  const open = (target) =>
    window.open(`${url}?cible=${target}`, "mediatheque", "popup,width=960,height=720");
  const button = (label, target) => {
    const element = Object.assign(document.createElement("button"), {
      type: "button",
      className: "button picker-open",
      textContent: label,
    });
    element.addEventListener("click", () => open(target));
    return element;
  };
  const lead = form.elements.lead_image;
  lead?.closest(".related-widget-wrapper")?.after(button("Choisir dans la médiathèque", "lead_image"));
  const body = form.elements.body;
  body?.closest(".form-row, .fieldBox")?.querySelector("label")?.after(
    button("Insérer une image de la médiathèque", "body"),
  );

  window.addEventListener("message", (event) => {
    if (event.origin !== window.location.origin || event.data?.type !== "newsroom:image") return;
    const { target, image } = event.data;
    if (target === "lead_image" && lead) {
      const option = [...lead.options].find((item) => item.value === String(image.id));
      if (option) option.selected = true;
      else lead.append(new Option(image.title, image.id, true, true));
      lead.dispatchEvent(new Event("change", { bubbles: true }));
    } else if (target === "body" && body?.proseEditor) {
      body.proseEditor.chain().focus().insertContent(figureHTML(image)).run();
    }
  });
}

function figureHTML(image) {
  const figure = document.createElement("figure");
  const img = document.createElement("img");
  img.setAttribute("src", image.src);
  img.setAttribute("alt", image.alt);
  figure.append(img);
  if (image.caption) {
    figure.append(Object.assign(document.createElement("figcaption"), { textContent: image.caption }));
  }
  return figure.outerHTML;
}

if (form) {
  startPicker();
  startAutosave();
  startPresence();
  startBodyStats();
  startLengthHints();
}
