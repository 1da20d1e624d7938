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
      var done = function () {
        if (status) { status.textContent = button.getAttribute("data-copied-label"); }
      };
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (document.execCommand("copy")) { done(); }
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
  document.querySelectorAll("[data-token-secret]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
