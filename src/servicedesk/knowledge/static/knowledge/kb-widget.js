// Knowledge base suggestion widget (see templates/knowledge/widget.html).
(function () {
  "use strict";

  function values(selector) {
    if (!selector) return [];
    return Array.prototype.slice
      .call(document.querySelectorAll(selector))
      .map(function (el) { return (el.value || "").trim(); })
      .filter(Boolean);
  }

  function widgetOf(el) {
    return el && el.closest ? el.closest("[data-kb-widget]") : null;
  }

  // Send the host page's client, service and text along with every suggestion request.
  document.addEventListener("htmx:configRequest", function (event) {
    var widget = widgetOf(event.detail.elt);
    if (!widget) return;
    var params = event.detail.parameters;
    var own = widget.querySelector("[data-kb-own-query]");
    var client = values(widget.dataset.kbClient)[0];
    var service = values(widget.dataset.kbService)[0];
    if (client) params.client = client;
    if (service) params.service = service;
    params.q = [own ? own.value : ""].concat(values(widget.dataset.kbText)).join(" ").trim();
  });

  function refresh(widget) {
    var list = widget.querySelector(".kb-suggestions");
    if (list && window.htmx) window.htmx.trigger(list, "kb:refresh");
  }

  function bind(widget) {
    if (widget.dataset.kbBound) return;
    widget.dataset.kbBound = "1";
    var selectors = [widget.dataset.kbClient, widget.dataset.kbService, widget.dataset.kbText]
      .filter(Boolean).join(", ");
    var sources = selectors ? document.querySelectorAll(selectors) : [];
    Array.prototype.forEach.call(sources, function (el) {
      el.addEventListener("input", function () { refresh(widget); });
      el.addEventListener("change", function () { refresh(widget); });
    });
    var own = widget.querySelector("[data-kb-own-query]");
    if (own) own.addEventListener("input", function () { refresh(widget); });
  }

  function bindAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-kb-widget]"), bind);
  }
  document.addEventListener("DOMContentLoaded", bindAll);
  document.addEventListener("htmx:load", bindAll);

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) return decodeURIComponent(match[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function insertInto(target, text) {
    var start = target.selectionStart == null ? target.value.length : target.selectionStart;
    var end = target.selectionEnd == null ? target.value.length : target.selectionEnd;
    target.value = target.value.slice(0, start) + text + target.value.slice(end);
    target.selectionStart = target.selectionEnd = start + text.length;
    target.dispatchEvent(new Event("input", { bubbles: true }));
    target.focus();
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-kb-insert]") : null;
    var widget = widgetOf(button);
    if (!button || !widget) return;
    var detail = {
      mode: button.dataset.kbInsert,
      url: button.dataset.kbUrl,
      title: button.dataset.kbTitle,
      text: button.dataset.kbText || "",
      articleId: Number(button.dataset.kbArticle),
    };
    var insert = new CustomEvent("kb:insert", { bubbles: true, cancelable: true, detail: detail });
    var handledByHost = !widget.dispatchEvent(insert);
    var target = widget.dataset.kbTarget ? document.querySelector(widget.dataset.kbTarget) : null;
    if (!handledByHost && target) {
      insertInto(target, detail.mode === "link" ? detail.title + ": " + detail.url : detail.text);
    }
    if (widget.dataset.kbTicket) {
      var body = new URLSearchParams({
        ticket: widget.dataset.kbTicket, article: String(detail.articleId), mode: detail.mode,
      });
      fetch(widget.dataset.kbUsageUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      });
    }
  });
})();
