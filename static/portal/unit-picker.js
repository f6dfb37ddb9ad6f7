// The unit picker (organizations/widgets.py): a <select data-unit-picker> that holds only the chosen units
// becomes a Tom Select asking the server (data-url, with its scope) as one types. The server searches
// without accents and decides what may be chosen; the client neither filters nor re-sorts its answer.
(function () {
  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function initPicker(select) {
    if (select.tomselect || typeof TomSelect === "undefined") {
      return;
    }
    var valueField = select.dataset.valueField || "code";
    var multiple = select.multiple;
    new TomSelect(select, {
      valueField: valueField,
      labelField: "label",
      searchField: [],
      maxOptions: null,
      maxItems: multiple ? null : 1,
      allowEmptyOption: false, // the empty <option> only lets an unchosen select post ""
      placeholder: select.dataset.placeholder,
      plugins: multiple ? ["remove_button"] : [],
      preload: "focus",
      loadThrottle: 250,
      // Every answer is already matched and ordered by the server.
      score: function () {
        return function () {
          return 1;
        };
      },
      shouldLoad: function () {
        return true;
      },
      load: function (query, callback) {
        var self = this;
        var url = select.dataset.url + "&q=" + encodeURIComponent(query);
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            self.clearOptions();
            callback(
              data.results.map(function (unit) {
                unit.label = unit.name + " (" + unit.code + ")";
                return unit;
              })
            );
          })
          .catch(function () {
            callback();
          });
      },
      render: {
        option: function (unit) {
          var details = [unit.code, unit.kind, unit.parent].filter(Boolean).map(escapeHtml).join(" · ");
          return (
            '<div><div>' + escapeHtml(unit.name || unit.label) + "</div>" +
            (details ? '<div class="small text-muted">' + details + "</div>" : "") + "</div>"
          );
        },
        item: function (unit) {
          return "<div>" + escapeHtml(unit.label || unit.text) + "</div>";
        },
        no_results: function () {
          return '<div class="no-results">' + escapeHtml(select.dataset.noResults) + "</div>";
        },
      },
    });
    // Tom Select moves the field's <label> to its own combobox; the original select only carries the value
    // for the form (out of the tab order), so assistive technology meets the combobox alone.
    select.setAttribute("aria-hidden", "true");
  }

  function initAll(root) {
    (root || document).querySelectorAll("select[data-unit-picker]").forEach(initPicker);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      initAll();
    });
  } else {
    initAll();
  }
  // Forms loaded later (htmx, a formset's added row) get their pickers too.
  document.addEventListener("htmx:afterSwap", function (event) {
    initAll(event.target);
  });
  document.addEventListener("portal:rows-added", function (event) {
    initAll(event.target);
  });
})();
