// "Thêm một đơn vị mới": a formset's new row cloned from its <template> (the formset's empty form), the
// management form's TOTAL_FORMS counted up. Without JavaScript the button stays hidden and the formset's
// spare row is used; a row is dropped with its "Xóa" box either way.
document.querySelectorAll("button[data-formset-add]").forEach(function (button) {
  var prefix = button.dataset.formsetAdd;
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.getElementById(button.dataset.formsetTemplate);
  var target = document.getElementById(button.dataset.formsetTarget);
  if (!total || !template || !target) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    var legend = row.querySelector("legend");
    if (legend) {
      legend.textContent = legend.textContent + " " + (index + 1);
    }
    target.appendChild(row);
    total.value = String(index + 1);
    row.dispatchEvent(new CustomEvent("portal:rows-added", { bubbles: true }));
    var first = row.querySelector("input, select");
    if (first) {
      first.focus();
    }
  });
});
