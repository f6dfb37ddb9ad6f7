// Pasting a column copied from Excel into a figure of the filing form fills that figure and the
// following ones in order (progressive enhancement: without it, one value per field is pasted as usual).
// The values are sent as typed; the server reads them the Vietnamese way and checks them.
(function () {
  function numericFields(form) {
    return Array.prototype.slice.call(form.querySelectorAll('input[name^="v_"][inputmode]'));
  }
  document.addEventListener("paste", function (ev) {
    var target = ev.target;
    var form = target && target.closest ? target.closest("#filing-form form") : null;
    if (!form || !target.matches('input[name^="v_"][inputmode]')) return;
    var text = (ev.clipboardData || window.clipboardData).getData("text");
    if (!text) return;
    // Excel ends a copied column with a line break; a row copied across columns is tab-separated.
    var cells = text.replace(/\r/g, "").replace(/\n+$/, "").split(/[\n\t]/);
    if (cells.length < 2) return;
    ev.preventDefault();
    var fields = numericFields(form);
    var start = fields.indexOf(target);
    var filled = 0;
    for (var i = 0; i < cells.length && start + i < fields.length; i++) {
      var field = fields[start + i];
      field.value = cells[i].trim();
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.dispatchEvent(new Event("change", { bubbles: true }));
      filled++;
    }
    var status = document.getElementById("paste-status");
    if (status) status.textContent = (status.dataset.template || "%s").replace("%s", String(filled));
  });
})();
