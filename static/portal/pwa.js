// Registers the portal's service worker (campaign_portal.views.service_worker): static files and the offline
// page are kept for use without a connection. Loaded as a file: the Content-Security-Policy forbids inline scripts.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !window.isSecureContext) {
    return;
  }
  if (script.dataset.user === "") {
    // Nobody is logged in: the filing pages kept for the last person are forgotten.
    if (window.caches) {
      window.caches.delete("portal-pages");
    }
  }
  navigator.serviceWorker.register(script.dataset.worker, { scope: "/" }).catch(function () {
    // No service worker (private mode, a policy): the portal works as before, online only.
  });
})();
