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
