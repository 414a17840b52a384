/* The workspace's own script: SLA countdown, keyboard shortcuts, htmx answers to show. */
(function () {
  "use strict";

  // --- htmx: 409 (someone else changed the ticket) and 422 (bad input) carry the fresh
  // state and a message, so they are swapped in like any answer.
  if (window.htmx) {
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "409", swap: true, error: false },
      { code: "422", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false },
    ];
    window.htmx.config.defaultSettleDelay = 0;
    window.htmx.config.historyCacheSize = 0;
  }

  function toast(text) {
    var box = document.getElementById("toast");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 6000);
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 403) toast("Нет доступа к этому действию.");
    else if (status === 404) toast("Не найдено: возможно, обращение удалено или недоступно.");
    else toast("Ошибка сервера (" + status + "). Повторите действие или обновите страницу.");
  });
  document.addEventListener("htmx:sendError", function () {
    toast("Нет связи с сервером. Проверьте сеть и повторите.");
  });

  // --- SLA countdown: badges with data-counting="1" lose a second every second; the
  // server refreshes them every minute, so drift never accumulates.
  function duration(seconds) {
    var total = Math.abs(seconds);
    var minutes = Math.floor(total / 60);
    if (minutes < 1) return "<1 мин";
    var hours = Math.floor(minutes / 60);
    minutes = minutes % 60;
    if (!hours) return minutes + " мин";
    if (!minutes || hours >= 10) return hours + " ч";
    return hours + " ч " + (minutes < 10 ? "0" : "") + minutes + " мин";
  }

  function tick() {
    var badges = document.querySelectorAll('[data-remaining][data-counting="1"]');
    for (var i = 0; i < badges.length; i++) {
      var badge = badges[i];
      var left = parseInt(badge.getAttribute("data-remaining"), 10) - 1;
      if (isNaN(left)) continue;
      badge.setAttribute("data-remaining", String(left));
      var text = badge.querySelector(".sla-time");
      if (text) text.textContent = (left < 0 ? "−" : "") + duration(left);
      if (left < 0 && !badge.classList.contains("sla-breached")) {
        badge.classList.remove("sla-running", "sla-risk");
        badge.classList.add("sla-breached");
      }
    }
  }
  setInterval(tick, 1000);

  // --- Keyboard: Ctrl+Enter saves the form you are in (or the page's main form);
  // "/" jumps to the search box; Escape closes an open action panel.
  function typing(element) {
    if (!element || !element.tagName) return false;
    var tag = element.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || element.isContentEditable;
  }

  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key === "Enter") {
      var form = event.target.closest ? event.target.closest("form") : null;
      form = form || document.querySelector("form[data-ctrl-enter]");
      if (form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (event.key === "/" && !typing(event.target)) {
      var search = document.getElementById("global-search");
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
      return;
    }
    if (event.key === "Escape") {
      var open = document.querySelectorAll("details.panel[open], details.menu[open]");
      for (var i = 0; i < open.length; i++) open[i].removeAttribute("open");
    }
  });

  // Opening one action panel closes the others, so the side column stays short.
  document.addEventListener("toggle", function (event) {
    var panel = event.target;
    if (!panel.matches || !panel.matches("details.panel") || !panel.open) return;
    var others = document.querySelectorAll("details.panel[open]");
    for (var i = 0; i < others.length; i++) if (others[i] !== panel) others[i].removeAttribute("open");
    var first = panel.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  }, true);

  // Small screens fold the sidebar and the filters behind a button.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-toggle]") : null;
    if (!button) return;
    var panel = document.getElementById(button.getAttribute("data-toggle"));
    if (!panel) return;
    var open = panel.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });

  // A file input shows what was chosen, in Russian, whatever the browser's language.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[data-file-input]")) return;
    var label = input.parentNode.querySelector("[data-file-label]");
    if (!label) return;
    if (!label.getAttribute("data-empty")) label.setAttribute("data-empty", label.textContent);
    var names = [];
    for (var i = 0; i < input.files.length; i++) names.push(input.files[i].name);
    label.textContent = names.length ? names.join(", ") : label.getAttribute("data-empty");
  });

  // A saved filter keeps the list as it is now (htmx keeps the address bar current).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-save-filter]")) return;
    var field = form.querySelector("[name=querystring]");
    if (field && window.location.search) field.value = window.location.search.slice(1);
  });

  // After a swap, focus the element the server marked (e.g. the call card's next field).
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    var wanted = target && target.querySelector ? target.querySelector("[data-focus]") : null;
    if (wanted) wanted.focus();
  });
})();
