// Keeps a copy of the entry form in this browser (localStorage) so that a lost
// connection loses nothing; the server copy (htmx autosave) stays the reference.
(function () {
  var form = document.getElementById("entry-form");
  if (!form || !window.localStorage) return;
  var key = "contest-draft-" + form.dataset.draftKey;
  var names = ["title", "field", "procedure", "problem", "solution", "benefits", "feasibility"];
  try {
    var saved = JSON.parse(localStorage.getItem(key) || "{}");
    names.forEach(function (n) {
      var el = form.elements[n];
      if (el && !el.value && saved[n]) el.value = saved[n];
    });
  } catch (e) { /* a broken copy is ignored */ }
  form.addEventListener("input", function () {
    var data = {};
    names.forEach(function (n) { if (form.elements[n]) data[n] = form.elements[n].value; });
    localStorage.setItem(key, JSON.stringify(data));
  });
  form.addEventListener("submit", function (ev) {
    if (ev.submitter && ev.submitter.value === "submit") localStorage.removeItem(key);
  });
})();
