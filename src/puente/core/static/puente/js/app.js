// Progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Remember the browser's time zone so the server can show times in it.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("puente_tz=") === -1) {
      document.cookie = "puente_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* very old browsers: the server default applies */ }

  function submit(form) {
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }

  // Auto-submit filter forms (directory facets, sort) when a control changes; the submit
  // buttons stay for browsers without JavaScript.
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-autosubmit]");
    if (form && event.target.type !== "search" && event.target.type !== "text") {
      submit(form);
    }
  });

  // Keep pushed URLs short: drop empty parameters (an empty search box, the default sort).
  document.addEventListener("htmx:configRequest", function (event) {
    var detail = event.detail;
    if (!detail || detail.verb !== "get" || !detail.formData || !detail.elt.closest("form[data-autosubmit]")) { return; }
    var empty = [];
    detail.formData.forEach(function (value, key) {
      if (value === "" && empty.indexOf(key) === -1) { empty.push(key); }
    });
    empty.forEach(function (key) {
      var kept = detail.formData.getAll(key).filter(function (value) { return value !== ""; });
      detail.formData.delete(key);
      kept.forEach(function (value) { detail.formData.append(key, value); });
    });
  });

  // Back and forward restore htmx's snapshot of a page, in which form controls show the
  // state of an earlier render; the address is the truth, so set the filters from it.
  document.addEventListener("htmx:historyRestore", function () {
    var params = new URLSearchParams(window.location.search);
    document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      form.querySelectorAll("input[name], select[name]").forEach(function (control) {
        var values = params.getAll(control.name);
        if (control.type === "checkbox" || control.type === "radio") {
          control.checked = values.indexOf(control.value) !== -1;
        } else if (control.tagName === "SELECT" || control.type === "search" || control.type === "text") {
          control.value = values.length ? values[values.length - 1] : "";
        }
      });
    });
  });

  // A chip of an active filter removes that filter from the form and searches again.
  document.addEventListener("click", function (event) {
    var chip = event.target.closest && event.target.closest("[data-remove-filter]");
    if (!chip) { return; }
    var form = chip.closest("form[data-autosubmit]");
    if (!form || !window.htmx) { return; }  // plain link otherwise
    event.preventDefault();
    var name = chip.getAttribute("data-remove-filter");
    var value = chip.getAttribute("data-value");
    form.querySelectorAll("[name='" + name + "']").forEach(function (control) {
      if (control.type === "checkbox" || control.type === "radio") {
        if (!value || control.value === value) { control.checked = false; }
      } else if (!value || control.value === value) {
        control.value = "";
      }
    });
    submit(form);
    var search = form.querySelector("input[type=search]");
    if (search) { search.focus(); }
  });

  // Filters collapse into a disclosure on narrow screens and stay open on wide ones.
  var narrow = window.matchMedia ? window.matchMedia("(max-width: 900px)") : null;
  function layoutFilters() {
    document.querySelectorAll("details[data-filters]").forEach(function (details) {
      if (!narrow) { return; }
      if (narrow.matches) {
        if (!details.hasAttribute("data-touched")) { details.open = false; }
      } else {
        details.open = true;
      }
    });
  }
  document.addEventListener("DOMContentLoaded", layoutFilters);
  if (narrow && narrow.addEventListener) { narrow.addEventListener("change", layoutFilters); }
  document.addEventListener("click", function (event) {
    var summary = event.target.closest && event.target.closest("details[data-filters] > summary");
    if (summary) { summary.parentElement.setAttribute("data-touched", ""); }
  });

  // Menus: Escape closes them and returns focus to their button; a click elsewhere closes them.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary && menu.contains(document.activeElement)) { summary.focus(); }
    });
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) { menu.removeAttribute("open"); }
    });
  });

  // Type to narrow a table's rows (the check-in desk's list): every word must appear in
  // the row, accents and case aside. The input names the rows (data-filter-rows), where
  // to say how many are shown (data-filter-count) and how ("%(shown)s of %(total)s").
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-filter-rows]")) { return; }
    var words = fold(input.value).split(/\s+/).filter(Boolean);
    var rows = document.querySelectorAll(input.getAttribute("data-filter-rows"));
    var shown = 0;
    rows.forEach(function (row) {
      var text = fold(row.textContent);
      var match = words.every(function (word) { return text.indexOf(word) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    var count = document.querySelector(input.getAttribute("data-filter-count"));
    if (count) {
      count.textContent = words.length
        ? input.getAttribute("data-filter-label").replace("%(shown)s", shown).replace("%(total)s", rows.length)
        : "";
    }
  });

  // Organization pickers: Enter in the search box picks the first match instead of
  // submitting the form around it (the options come from directory:organization_options).
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key !== "Enter" || !input.matches || !input.matches("input.org-picker-search")) { return; }
    event.preventDefault();
    var select = document.getElementById(input.getAttribute("aria-controls"));
    if (!select) { return; }
    for (var i = 0; i < select.options.length; i += 1) {
      if (select.options[i].value) { select.selectedIndex = i; select.focus(); return; }
    }
  });
})();
