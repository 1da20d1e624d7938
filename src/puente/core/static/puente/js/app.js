// Progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Remember the browser's time zone so the server can show times in it.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("puente_tz=") === -1) {
      document.cookie = "puente_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* very old browsers: the server default applies */ }

  // Auto-submit filter forms (directory facets) when a control changes; the submit button
  // stays for keyboard users and for browsers without JavaScript.
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosubmit]");
    if (form && event.target.type !== "search" && event.target.type !== "text") {
      if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
    }
  });

  // Close open menus on Escape.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details.menu[open]").forEach(function (menu) { menu.removeAttribute("open"); });
    }
  });
})();
