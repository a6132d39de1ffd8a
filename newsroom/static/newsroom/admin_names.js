// The admin's select2 boxes (autocomplete fields) are named by their selected value only,
// so an empty one has no accessible name. Name each by its field's label (or its column's
// head in a tabular inline), then the value, as boxes appear (inline rows are added later).

function labelId(select) {
  let label = document.querySelector(`label[for="${select.id}"]`);
  if (!label) {
    const cell = select.closest("td");
    const table = cell?.closest("table");
    const column = [...(cell?.classList ?? [])].find((name) => name.startsWith("field-"));
    label = column && table?.querySelector(`thead th.column-${column.slice(6)}`);
  }
  if (!label) return null;
  if (!label.id) label.id = `${select.id.replace(/-\d+-/, "-")}_label`;
  return label.id;
}

function nameBoxes() {
  for (const select of document.querySelectorAll("select.admin-autocomplete")) {
    const box = select.nextElementSibling?.querySelector(".select2-selection");
    if (!box || box.dataset.named) continue;
    const id = labelId(select);
    if (!id) continue;
    const value = box.getAttribute("aria-labelledby");
    box.setAttribute("aria-labelledby", value ? `${id} ${value}` : id);
    box.dataset.named = "1";
    // select2 gives the value shown inside the box a textbox role of its own.
    box.querySelector(".select2-selection__rendered")?.setAttribute("aria-labelledby", id);
    // A multiple box searches in an input of its own.
    box.querySelector(".select2-search__field")?.setAttribute("aria-labelledby", id);
  }
}

new MutationObserver(nameBoxes).observe(document.documentElement, { childList: true, subtree: true });
document.addEventListener("DOMContentLoaded", nameBoxes);
