// Enhancements only: every page works without this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  // "Copier le lien": copy the article's address instead of following it.
  for (const link of document.querySelectorAll("[data-copy-link]")) {
    if (!navigator.clipboard) continue;
    link.setAttribute("role", "button");
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      try {
        await navigator.clipboard.writeText(link.href);
        link.textContent = "Lien copié";
      } catch {
        link.textContent = "Copie impossible";
      }
      setTimeout(() => { link.textContent = "Copier le lien"; }, 2500);
    });
  }
});
