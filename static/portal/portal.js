// The portal's own behaviour, loaded as a file so the Content-Security-Policy can forbid inline scripts.
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});

// A search box (data-filter-options="<select id>") narrows a long list as one types, without accents:
// "kim lien" keeps “Phường Kim Liên”. Hidden options stay selected.
function portalFold(text) {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
}
document.addEventListener("input", function (event) {
  if (!event.target.matches("[data-filter-options]")) {
    return;
  }
  var select = document.getElementById(event.target.dataset.filterOptions);
  // Terms match at word starts, as the server's search does (campaign_portal/search.py):
  // "anh" keeps “Đông Anh”, not “Thanh Xuân”.
  var terms = portalFold(event.target.value).replace(/[^0-9a-z]+/g, " ").split(" ").filter(Boolean);
  Array.prototype.forEach.call(select.options, function (option) {
    var text = " " + portalFold(option.text).replace(/[^0-9a-z]+/g, " ");
    option.hidden = option.value !== "" && !terms.every(function (term) { return text.indexOf(" " + term) !== -1; });
  });
});

// A text refused as TCVN3/VNI offers its Unicode conversion (campaign_portal.fields.CleanCharField):
// one click puts it into the field; without JavaScript the button posts the form and the server converts.
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-legacy-fill]");
  var field = button && button.form && button.form.elements.namedItem(button.dataset.legacyTarget);
  if (!field) {
    return;
  }
  event.preventDefault();
  field.value = button.dataset.legacyFill;
  field.classList.remove("is-invalid");
  field.dispatchEvent(new Event("input", { bubbles: true }));
  field.focus();
  button.closest(".legacy-suggestion").remove();
});

// A table wider than a phone scrolls inside its own box instead of pushing the whole page sideways
// (templates that already wrap theirs in .table-responsive are left alone).
function portalWrapTables(root) {
  Array.prototype.forEach.call(root.querySelectorAll("table.table"), function (table) {
    if (table.closest(".table-responsive")) {
      return;
    }
    var box = document.createElement("div");
    box.className = "table-responsive";
    table.parentNode.insertBefore(box, table);
    box.appendChild(table);
  });
}
portalWrapTables(document);
document.addEventListener("htmx:afterSwap", function (event) { portalWrapTables(event.target); });
