// The filing form on a bad connection (templates/reporting/file.html):
// - what is typed is kept in this browser, per user, period, unit and form version, and restored after a
//   reload or a dropped connection, until the server has taken it;
// - a save or submission made without a connection is queued and sent when the connection returns, under
//   the key the browser made for it (submission_key), which the server takes once.
// Without JavaScript the form posts as it always did.
(function () {
  "use strict";
  var status = document.getElementById("filing-offline");
  var first = document.querySelector("form[data-filing-draft]");
  if (!status || !first || !window.localStorage) {
    return;
  }
  var texts = status.dataset;
  var draftName = "portal-filing:draft:" + first.dataset.filingDraft;
  var queueName = "portal-filing:queue:" + first.dataset.filingDraft;
  var url = first.getAttribute("action");
  var pending = null; // the submission on its way through htmx, queued if the network fails
  var sending = false;
  var restored = false;
  var state = null; // "queued", "sending", "sent", "refused", "filed"
  var reportUrl = null;

  function form() {
    return document.querySelector("form[data-filing-draft]");
  }

  function read(name) {
    try {
      return JSON.parse(window.localStorage.getItem(name));
    } catch (error) {
      return null;
    }
  }

  function write(name, value) {
    try {
      window.localStorage.setItem(name, JSON.stringify(value));
    } catch (error) {
      // Storage full or refused: the form still posts as usual.
    }
  }

  function newKey(target) {
    var field = target && target.elements.namedItem("submission_key");
    if (field && window.crypto && window.crypto.randomUUID) {
      field.value = window.crypto.randomUUID();
    }
  }

  // What the officer typed: every named field but the hidden ones (token, version, key) and the buttons.
  function typed(target) {
    var values = {};
    Array.prototype.forEach.call(target.elements, function (field) {
      if (!field.name || ["hidden", "submit", "button", "file"].indexOf(field.type) !== -1) {
        return;
      }
      if (field.type === "checkbox") {
        values[field.name] = field.checked;
      } else if (field.type === "radio") {
        if (field.checked) {
          values[field.name] = field.value;
        }
      } else {
        values[field.name] = field.value;
      }
    });
    return values;
  }

  function fill(target, values) {
    var changed = false;
    Array.prototype.forEach.call(target.elements, function (field) {
      if (!field.name || !Object.prototype.hasOwnProperty.call(values, field.name)) {
        return;
      }
      var value = values[field.name];
      if (field.type === "checkbox") {
        changed = changed || field.checked !== value;
        field.checked = value;
      } else if (field.type === "radio") {
        changed = changed || field.checked !== (field.value === value);
        field.checked = field.value === value;
      } else if (["hidden", "submit", "button", "file"].indexOf(field.type) === -1) {
        changed = changed || field.value !== value;
        field.value = value;
      }
    });
    return changed;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function render() {
    status.textContent = "";
    if (restored) {
      var note = element("p", "mb-1", texts.restored + " ");
      var discard = element("button", "btn btn-sm btn-outline-secondary", texts.discard);
      discard.type = "button";
      discard.addEventListener("click", function () {
        window.localStorage.removeItem(draftName);
        window.location.reload();
      });
      note.appendChild(discard);
      status.appendChild(note);
    }
    if (state) {
      var line = element("p", "mb-0", texts[state] + " ");
      line.dataset.state = state;
      if (state === "queued") {
        var retry = element("button", "btn btn-sm btn-primary", texts.retry);
        retry.type = "button";
        retry.addEventListener("click", send);
        line.appendChild(retry);
      } else if ((state === "sent" || state === "filed") && reportUrl) {
        var link = element("a", "alert-link", texts.open);
        link.href = reportUrl;
        line.appendChild(link);
      }
      status.appendChild(line);
    }
    status.hidden = !restored && !state;
  }

  function show(next) {
    state = next;
    render();
  }

  function taken() {
    window.localStorage.removeItem(draftName);
    window.localStorage.removeItem(queueName);
    restored = false;
  }

  // A submission as the form would post it, with the button pressed.
  function submission(target, submitter) {
    var fields = [];
    new FormData(target, submitter || undefined).forEach(function (value, name) {
      if (typeof value === "string") {
        fields.push([name, value]);
      }
    });
    return { url: url, fields: fields };
  }

  function enqueue(entry) {
    write(queueName, entry);
    write(draftName, typed(form()));
    newKey(form()); // a later submission is another one
    show("queued");
  }

  function send() {
    var entry = read(queueName);
    if (!entry || sending) {
      return;
    }
    sending = true;
    show("sending");
    var body = new URLSearchParams();
    entry.fields.forEach(function (pair) {
      body.append(pair[0], pair[1]);
    });
    fetch(entry.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "HX-Request": "true", "HX-Target": "filing-form" },
    }).then(function (response) {
      sending = false;
      reportUrl = response.headers.get("HX-Redirect");
      if (response.redirected) {
        show("queued"); // sent to the login page (the session ended): kept until she logs in again
      } else if (response.headers.get("X-Filing-Accepted")) {
        taken();
        show("sent");
      } else if (response.status === 200) {
        // Refused (a lock, a problem in the figures, someone saved first): the answer says why; the typed
        // figures stay in this browser.
        window.localStorage.removeItem(queueName);
        return response.text().then(function (html) {
          var current = document.getElementById("filing-form");
          if (current) {
            current.outerHTML = html;
            var swapped = document.getElementById("filing-form");
            if (window.htmx) {
              window.htmx.process(swapped);
            }
            prepare();
          }
          show("refused");
        });
      } else if (response.status === 204) {
        window.localStorage.removeItem(queueName); // the report was filed or approved meanwhile
        show("filed");
      } else {
        show("queued"); // a server error or an expired session: kept, sent again later or by hand
      }
    }).catch(function () {
      sending = false;
      show("queued");
    });
  }

  // Each form on the page (the first, and every one htmx swaps in): a fresh key, typing kept.
  function prepare() {
    newKey(form());
  }

  document.addEventListener("input", function (event) {
    var target = event.target.form;
    if (target && target.matches("form[data-filing-draft]")) {
      write(draftName, typed(target));
    }
  });
  document.addEventListener("change", function (event) {
    var target = event.target.form;
    if (target && target.matches("form[data-filing-draft]")) {
      write(draftName, typed(target));
    }
  });

  // Capture, before htmx: without a connection the submission is queued instead of posted.
  document.addEventListener(
    "submit",
    function (event) {
      var target = event.target;
      if (!target.matches("form[data-filing-draft]")) {
        return;
      }
      pending = submission(target, event.submitter);
      if (!navigator.onLine) {
        event.preventDefault();
        event.stopImmediatePropagation();
        enqueue(pending);
        pending = null;
      }
    },
    true
  );
  document.body.addEventListener("htmx:sendError", function () {
    if (pending) {
      enqueue(pending); // the connection dropped on the way
      pending = null;
    }
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.status && xhr.getResponseHeader("X-Filing-Accepted")) {
      taken();
    }
    if (xhr && xhr.status) {
      pending = null;
    }
  });
  document.body.addEventListener("htmx:afterSwap", prepare);

  prepare();
  var draft = read(draftName);
  if (draft && fill(first, draft)) {
    restored = true;
  }
  if (read(queueName)) {
    state = "queued";
  }
  render();
  window.addEventListener("online", send);
  window.setInterval(function () {
    if (navigator.onLine) {
      send();
    }
  }, 20000);
  if (navigator.onLine) {
    send();
  }
})();
