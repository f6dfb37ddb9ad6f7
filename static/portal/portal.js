// The portal's own behaviour, loaded as a file so the Content-Security-Policy can forbid inline scripts.
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-autosubmit]")) {
    event.target.form.submit();
  }
});
