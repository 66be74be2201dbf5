// Search-box suggestions: film titles and people, as an ARIA combobox.
// Choosing a suggestion searches for it; the box works as plain search without JS.
(function () {
  "use strict";
  const input = document.getElementById("site-search-q");
  if (!input) return;
  const form = input.form;
  const list = document.createElement("ul");
  list.id = "site-search-suggestions";
  list.className = "suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "Suggestions");
  list.hidden = true;
  form.append(list);
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("autocomplete", "off");

  let active = -1;
  let timer = null;
  let latest = "";

  function options() {
    return Array.prototype.slice.call(list.querySelectorAll('[role="option"]'));
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    const items = options();
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) input.setAttribute("aria-activedescendant", items[index].id);
    else input.removeAttribute("aria-activedescendant");
  }

  function choose(item) {
    input.value = item.dataset.value;
    close();
    form.submit();
  }

  function render(data) {
    list.textContent = "";
    const entries = data.films
      .map(function (f) {
        return { value: f.title, label: f.title + (f.year ? " (" + f.year + ")" : ""), kind: "Film" };
      })
      .concat(
        data.people.map(function (p) {
          return { value: p.name, label: p.name, kind: "Person" };
        })
      );
    entries.forEach(function (entry, i) {
      const item = document.createElement("li");
      item.id = "suggestion-" + i;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.dataset.value = entry.value;
      item.textContent = entry.label;
      const kind = document.createElement("span");
      kind.className = "suggestions__kind";
      kind.textContent = entry.kind;
      item.append(kind);
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(item);
      });
      list.append(item);
    });
    list.hidden = entries.length === 0;
    input.setAttribute("aria-expanded", entries.length ? "true" : "false");
    active = -1;
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    const query = input.value.trim();
    latest = query;
    if (query.length < 2) return close();
    timer = setTimeout(function () {
      fetch("/search/suggest/?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json();
        })
        .then(function (data) {
          if (query === latest) render(data);
        })
        .catch(close);
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    const items = options();
    if (list.hidden || !items.length) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? items.length - 1 : active - 1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === "Escape") {
      close();
    }
  });

  input.addEventListener("blur", close);
})();
