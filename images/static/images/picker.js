// The media library's picker, opened by the article form: a chosen image goes back to it.
const picker = document.querySelector(".picker");

if (picker && window.opener) {
  document.querySelector(".picker__nojs")?.remove();
  picker.addEventListener("click", (event) => {
    const choice = event.target.closest(".picker__choice");
    if (!choice) return;
    const image = JSON.parse(choice.dataset.image);
    window.opener.postMessage(
      { type: "newsroom:image", target: picker.dataset.target, image },
      window.location.origin,
    );
    window.close();
  });
} else if (picker) {
  for (const choice of picker.querySelectorAll(".picker__choice")) choice.disabled = true;
}
