// The image's change form: click on the preview to set the focal point (focal_x, focal_y).
// The fields stay the reference, typed or clicked; the marker follows them.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  const frame = document.querySelector(".focal-point");
  const fieldX = document.getElementById("id_focal_x");
  const fieldY = document.getElementById("id_focal_y");
  if (!frame || !fieldX || !fieldY) return;
  const picture = frame.querySelector(".focal-point-image");
  const marker = frame.querySelector(".focal-point-marker");
  const upload = document.getElementById("id_file");

  const clamp = (value) => Math.min(1, Math.max(0, value));

  function place() {
    const x = parseFloat(fieldX.value);
    const y = parseFloat(fieldY.value);
    const visible = !picture.hidden && !Number.isNaN(x) && !Number.isNaN(y);
    marker.hidden = !visible;
    if (visible) {
      // CSSOM, not a style attribute: the CSP allows the one, refuses the other.
      marker.style.left = `${clamp(x) * 100}%`;
      marker.style.top = `${clamp(y) * 100}%`;
    }
  }

  picture.addEventListener("click", (event) => {
    const box = picture.getBoundingClientRect();
    fieldX.value = clamp((event.clientX - box.left) / box.width).toFixed(2);
    fieldY.value = clamp((event.clientY - box.top) / box.height).toFixed(2);
    place();
  });
  fieldX.addEventListener("input", place);
  fieldY.addEventListener("input", place);

  // Before the first save, show the chosen file (a data: URL, which the CSP allows).
  upload?.addEventListener("change", () => {
    const file = upload.files[0];
    if (!file || !file.type.startsWith("image/") || file.type === "image/svg+xml") return;
    const reader = new FileReader();
    reader.addEventListener("load", () => {
      picture.src = reader.result;
      picture.hidden = false;
      place();
    });
    reader.readAsDataURL(file);
  });

  // A file kept from a refused form: shown as if just chosen.
  const kept = document.querySelector(".kept-upload[data-kept-url]");
  if (kept && !picture.getAttribute("src")) {
    picture.src = kept.dataset.keptUrl;
    picture.hidden = false;
  }

  place();
});
