// A received document opened by an officer of the recipient unit counts as read, whichever link led here
// (home panel, notification, inbox): the page posts the form below once, with its CSRF token, to the same
// view as the inbox's "Mở" button. A GET never writes; without JavaScript the form's button does the same.
(function () {
  var form = document.querySelector("form[data-record-read]");
  if (!form || !window.fetch) {
    return;
  }
  fetch(form.action, {
    method: "POST",
    body: new FormData(form),
    credentials: "same-origin",
    headers: { "X-Requested-With": "fetch", Accept: "application/json" },
  })
    .then(function (response) {
      if (!response.ok) {
        return;
      }
      var done = document.createElement("p");
      done.className = "small text-success mb-2";
      done.setAttribute("role", "status");
      done.textContent = form.dataset.doneText;
      form.replaceWith(done);
    })
    .catch(function () {
      // Offline or refused: the button stays for a later try.
    });
})();
