// Account settings enhancements; every page works without this file.
(function () {
  "use strict";
  // The one-time API token: a copy button (shown only when scripts run) and select-on-focus.
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.querySelector("[data-copy-status]");
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var say = function (label) {
        if (status) { status.textContent = button.getAttribute(label); }
      };
      // When neither clipboard route works the text stays selected and the user is told so.
      var fallback = function () {
        say(document.execCommand("copy") ? "data-copied-label" : "data-copy-failed-label");
      };
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(function () {
          say("data-copied-label");
        }, fallback);
      } else {
        fallback();
      }
    });
  });
  document.querySelectorAll("[data-token-secret]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
