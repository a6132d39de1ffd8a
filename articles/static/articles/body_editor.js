// The article body's rich-text editor: django-prose-editor, started without the inline
// import map and injected <style> that the admin's Content-Security-Policy refuses.
// articles.forms.BodyEditor renders the textarea with the module's URL and the config.

const CONFIG = "data-django-prose-editor-newsroom";
// The toolbar's words are English in the package, outside its translation catalog.
const FRENCH = {
  paragraph: "paragraphe",
  Paragraph: "Paragraphe",
  "heading 2": "titre 2",
  "heading 3": "titre 3",
  "heading 4": "titre 4",
  "Heading 2": "Titre 2",
  "Heading 3": "Titre 3",
  "Heading 4": "Titre 4",
  "unordered list": "liste à puces",
  "ordered list": "liste numérotée",
  blockquote: "citation",
  "horizontal rule": "ligne de séparation",
  figure: "image",
  bold: "gras",
  italic: "italique",
  underline: "souligné",
  strike: "barré",
  subscript: "indice",
  superscript: "exposant",
  "insert link": "lien",
  "remove link": "retirer le lien",
  undo: "annuler",
  redo: "rétablir",
  "Block style": "Style",
  "Reset all classes": "Aucun style",
  "Paragraphe: default": "Paragraphe normal",
  "Paragraphe: Appel à l’action": "Appel à l’action",
};

// The menu bar is drawn once the editor exists, and redrawn in part as the selection moves.
// Only the menu bar is watched: the text being written must never be touched.
function translateMenu(wrapper) {
  const watchMenu = (menubar) => {
    translate(menubar);
    new MutationObserver(() => translate(menubar)).observe(menubar, {
      childList: true,
      subtree: true,
    });
  };
  const waiting = new MutationObserver(() => {
    const menubar = wrapper.querySelector(":scope > .prose-menubar");
    if (menubar) {
      waiting.disconnect();
      watchMenu(menubar);
    }
  });
  waiting.observe(wrapper, { childList: true });
}

function translate(root) {
  for (const element of root.querySelectorAll("button, p, h2, h3, h4")) {
    for (const attribute of ["title", "aria-label"]) {
      const word = FRENCH[element.getAttribute(attribute)];
      if (word) element.setAttribute(attribute, word);
    }
    // Only elements holding their label alone; material icons hold an icon's name.
    const label = element.childElementCount ? undefined : FRENCH[element.textContent];
    if (label && !element.classList.contains("material-icons")) element.textContent = label;
  }
}

async function start(textarea) {
  // The editor module takes window.gettext as it loads. The admin's catalog lacks the
  // editor's words (and jquery.init.js replaces window.django, so it can't be added to).
  const catalog = JSON.parse(textarea.dataset.editorCatalog);
  const gettext = window.gettext ?? ((msgid) => msgid);
  window.gettext = (msgid) => catalog[msgid] ?? gettext(msgid);
  const prose = await import(textarea.dataset.editorModule);
  const config = JSON.parse(textarea.getAttribute(CONFIG));
  const extensions = Object.entries(config.extensions).map(([name, options]) =>
    typeof options === "object" ? prose[name].configure(options) : prose[name],
  );
  // As the package's createTextareaEditor, with injectCSS off (body_editor.css has it).
  const wrapper = document.createElement("div");
  wrapper.className = textarea.disabled ? "prose-editor disabled" : "prose-editor";
  textarea.before(wrapper);
  wrapper.append(textarea);
  translateMenu(wrapper);
  // The editable area is what assistive technologies meet: it takes the field's label.
  const label = document.querySelector(`label[for="${textarea.id}"]`);
  if (label && !label.id) label.id = `${textarea.id}_label`;
  return new prose.Editor({
    element: wrapper,
    extensions,
    content: textarea.value,
    injectCSS: false,
    editable: !textarea.disabled,
    editorProps: {
      attributes: label
        ? { role: "textbox", "aria-multiline": "true", "aria-labelledby": label.id }
        : { role: "textbox", "aria-multiline": "true" },
    },
    onUpdate({ editor }) {
      const html = editor.getHTML();
      textarea.value = /^<(\w+)(\s[^>]*)?><\/\1>$/.test(html) ? "" : html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    },
  });
}

for (const textarea of document.querySelectorAll(`textarea[${CONFIG}]`)) {
  start(textarea)
    .then((editor) => {
      // For the form's other helpers (editing.js inserts library images through it).
      textarea.proseEditor = editor;
    })
    .catch((error) => console.error("Body editor failed to start:", error));
}
