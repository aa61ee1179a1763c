// Idea Jam: the reviewer picker. The page's search form works without JavaScript; this
// turns its box into a combobox (WAI-ARIA 1.2 pattern): typing asks the server who matches,
// arrow keys move through the list, Enter or a click adds the person, ticked, to the
// reviewers to assign, and Escape closes the list.
"use strict";

(() => {
  const DELAY = 250;

  function enhancePicker(input) {
    const picks = document.getElementById("reviewer-picks");
    if (!picks || input.dataset.enhanced) return;
    input.dataset.enhanced = "1";
    const list = document.createElement("ul");
    list.id = "reviewer-options";
    list.className = "picker-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels?.[0]?.textContent || "");
    list.hidden = true;
    const status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.after(list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    let timer = null;
    let asked = 0;
    let active = -1;
    let people = [];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const options = list.querySelectorAll("[role=option]");
      if (!options.length) return;
      active = (index + options.length) % options.length;
      options.forEach((option, i) => option.setAttribute("aria-selected", i === active ? "true" : "false"));
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function describe(person) {
      return [person.name, person.department, person.country].filter(Boolean).join(" · ");
    }

    function add(person) {
      picks.querySelector("[data-picks-empty]")?.remove();
      let box = picks.querySelector(`input[name="reviewer_ids"][value="${person.id}"]`);
      if (!box) {
        const label = document.createElement("label");
        label.className = "check";
        box = document.createElement("input");
        box.type = "checkbox";
        box.name = "reviewer_ids";
        box.value = String(person.id);
        const text = document.createElement("span");
        text.textContent = describe(person);
        label.append(box, " ", text);
        picks.append(label);
      }
      box.checked = true;
      status.textContent = (input.dataset.added || "{name}").replace("{name}", person.name);
      input.value = "";
      close();
    }

    function render() {
      list.replaceChildren();
      if (!people.length) {
        const empty = document.createElement("li");
        empty.className = "picker-empty";
        empty.textContent = input.dataset.none || "";
        list.append(empty);
      }
      people.forEach((person, i) => {
        const option = document.createElement("li");
        option.id = `reviewer-option-${person.id}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.index = String(i);
        option.textContent = describe(person);
        list.append(option);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
    }

    async function lookUp() {
      const q = input.value.trim();
      if (!q) { close(); return; }
      const mine = ++asked;
      const url = new URL(input.dataset.url, window.location.href);
      url.searchParams.set("q", q);
      const data = await window.IdeaJam.fetchJson(url);
      if (mine !== asked || !data) return; // a newer look-up is on its way, or this one failed
      people = data.items || [];
      render();
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(lookUp, DELAY);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { lookUp(); return; }
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();
        add(people[active]);
      } else if (event.key === "Escape" && !list.hidden) {
        event.preventDefault();
        close();
      }
    });
    list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus in the box
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) add(people[Number(option.dataset.index)]);
    });
    input.addEventListener("blur", close);
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const input of document.querySelectorAll("[data-reviewer-picker]")) enhancePicker(input);
  });
})();
