/* Autosave for a form marked data-autosave: every field, every kind of edit, nothing lost on leaving the page.
 *
 * - Typing in any text box saves 1 s after the last key; a choice (radio, select) saves at once.
 * - A save sends the whole form, so the server always holds the latest of every field.
 * - Edits made while a save is on its way are sent by another save straight after; "Saved" shows only when
 *   what the server holds is what is on the screen.
 * - Following a link inside the form (Add evidence) first saves, then goes; leaving the page any other way sends
 *   what is unsaved with keepalive, which the browser finishes after the page has gone.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) return;
  var status = document.getElementById(form.getAttribute("data-autosave-status"));
  var url = form.getAttribute("action") || window.location.pathname;
  var version = 0;      // bumped on every edit
  var savedVersion = 0; // the edit the server last confirmed
  var inFlight = null;  // the promise of the save on its way
  var timer = null;

  function say(html) { if (status) status.innerHTML = html; }

  function send(keepalive) {
    var sending = version;
    var body = new FormData(form);
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "HX-Request": "true", "X-CSRFToken": body.get("csrfmiddlewaretoken") || "" }
    }).then(function (response) {
      return response.text().then(function (text) {
        if (response.ok) {
          savedVersion = Math.max(savedVersion, sending);
          if (savedVersion === version) say(text);
        } else {
          say(text || "Not saved. Check your connection and try again.");
        }
      });
    }, function () {
      say("Not saved: the portal could not be reached. Your text is still here; it will be saved when you next type.");
    });
  }

  function save() {
    clearTimeout(timer);
    timer = null;
    if (savedVersion === version) return Promise.resolve();
    if (inFlight) return inFlight.then(save);
    inFlight = send(false).then(function () { inFlight = null; });
    return inFlight.then(function () { if (savedVersion !== version) return save(); });
  }

  function edited(delay) {
    version += 1;
    say("Saving…");
    clearTimeout(timer);
    timer = setTimeout(save, delay);
  }

  form.addEventListener("input", function (event) {
    var t = event.target;
    var typed = t.tagName === "TEXTAREA" || (t.tagName === "INPUT" && !/^(radio|checkbox)$/.test(t.type));
    edited(typed ? 1000 : 0);
  });
  form.addEventListener("change", function () { if (savedVersion !== version) save(); });

  form.addEventListener("click", function (event) {
    var link = event.target.closest("a[href]");
    if (!link || savedVersion === version || link.target === "_blank") return;
    event.preventDefault();
    save().then(function () { window.location.href = link.href; });
  });

  window.addEventListener("pagehide", function () {
    if (savedVersion !== version) send(true);
  });
})();
