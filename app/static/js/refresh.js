// Idea Jam: bringing a fresh copy of the page into the page without losing what anyone typed.
// Parts that hold no input are swapped for their fresh versions; a form that holds input (or
// has the focus) stays exactly where it is, untouched. A form that is gone from the fresh
// page (the campaign closed, comments were locked) leaves its words behind, read-only, with a
// "Copy" button (drafts.js), until a later fresh copy brings the form back.
"use strict";

(() => {
  function fieldHoldsInput(el) {
    if (el.type === "hidden" || el.tagName === "BUTTON" || el.tagName === "FIELDSET" || el.readOnly) return false;
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") return [...el.options].some((o) => o.selected !== o.defaultSelected);
    if (el.type === "submit" || el.type === "button") return false;
    // Typed in; or, in a composer, sent back filled by the server after a refused post.
    return el.value !== el.defaultValue || Boolean(el.form && el.form.dataset.draftKey && el.value.trim());
  }

  function formHoldsInput(form) {
    const active = document.activeElement;
    if (active && active !== document.body && form.contains(active) && active.matches("input, textarea, select")) return true;
    return [...form.elements].some(fieldHoldsInput);
  }

  const isForm = (el) => el.nodeType === 1 && el.tagName === "FORM";
  const isKept = (el) => el.nodeType === 1 && el.matches("[data-kept-text]");

  // Does this part of the page hold something that must not be replaced?
  function holds(el) {
    if (el.nodeType !== 1) return false;
    if (isForm(el)) return formHoldsInput(el);
    if (isKept(el)) return true;
    return [...el.querySelectorAll("form")].some(formHoldsInput) || Boolean(el.querySelector("[data-kept-text]"));
  }

  // How an element is recognised in the fresh copy: its id, its draft's name, a form's action,
  // else its tag and classes and how many such siblings came before it.
  function keys(nodes) {
    const seen = new Map();
    return nodes.map((node) => {
      if (node.nodeType !== 1) return null;
      if (node.id) return `#${node.id}`;
      if (node.dataset.draftKey) return `draft:${node.dataset.draftKey}`;
      if (isKept(node)) return `kept:${node.dataset.keptText}`;
      const base = isForm(node) ? `form:${node.getAttribute("action")}` : `${node.tagName}.${node.className}`;
      const n = seen.get(base) || 0;
      seen.set(base, n + 1);
      return `${base}:${n}`;
    });
  }

  // Keep what can stay valid of a held form: a fresh token, nothing the person typed.
  function refreshForm(old, fresh) {
    const token = fresh.querySelector('input[name="csrf_token"]');
    const mine = old.querySelector('input[name="csrf_token"]');
    if (token && mine) mine.value = token.value;
  }

  // The words of held forms inside ``old`` that the fresh copy no longer has.
  function leftBehind(old) {
    const forms = isForm(old) ? [old] : [...old.querySelectorAll("form")];
    const kept = isKept(old) ? [old] : [...old.querySelectorAll("[data-kept-text]")];
    const blocks = forms.filter(formHoldsInput)
      .filter((form) => window.IdeaJamDrafts && window.IdeaJamDrafts.textFields(form).some((el) => el.value.trim()))
      .map((form) => window.IdeaJamDrafts.keptText(form));
    return [...blocks, ...kept];
  }

  // Bring ``fresh``'s content into ``old`` (the same part of the page), keeping held forms.
  function merge(old, fresh, freshDrafts) {
    if (!holds(old)) return fresh;
    if (isForm(old)) {
      refreshForm(old, fresh);
      return old;
    }
    if (isKept(old)) return old;
    const oldNodes = [...old.childNodes];
    const freshNodes = [...fresh.childNodes];
    const oldKeys = keys(oldNodes);
    const freshKeys = keys(freshNodes);
    const byKey = new Map();
    oldNodes.forEach((node, i) => { if (oldKeys[i]) byKey.set(oldKeys[i], node); });
    const matched = new Set();
    const result = freshNodes.map((node, i) => {
      const twin = freshKeys[i] && byKey.get(freshKeys[i]);
      if (!twin) return node;
      matched.add(twin);
      return merge(twin, node, freshDrafts);
    });
    // Held parts with no fresh twin: their words stay where they were.
    oldNodes.forEach((node, i) => {
      if (matched.has(node) || !holds(node)) return;
      const blocks = leftBehind(node).filter((block) => !isKept(block) || !freshDrafts.has(block.dataset.keptText));
      if (!blocks.length) return;
      const before = oldNodes.slice(0, i).reverse().find((n) => result.includes(n));
      result.splice(before ? result.indexOf(before) + 1 : 0, 0, ...blocks);
    });
    place(old, result);
    for (const name of fresh.getAttributeNames()) {
      if (name !== "open" && old.getAttribute(name) !== fresh.getAttribute(name)) old.setAttribute(name, fresh.getAttribute(name));
    }
    return old;
  }

  // Put ``nodes`` in ``parent`` in order, never detaching a node that is already in place
  // (a focused field keeps its focus, a caret its position).
  function place(parent, nodes) {
    const wanted = new Set(nodes);
    for (const child of [...parent.childNodes]) if (!wanted.has(child)) child.remove();
    let ref = parent.firstChild;
    for (const node of nodes) {
      if (node === ref) { ref = ref.nextSibling; continue; }
      parent.insertBefore(node, ref);
    }
  }

  /** Update ``old`` (an element of the page) from ``fresh`` (its counterpart, parsed from a
   * fresh copy of the page); returns the element now on the page. */
  function update(old, fresh) {
    const adopted = document.adoptNode(fresh);
    // Words kept from a form that is back in the fresh copy go back into it (from the draft).
    const freshDrafts = new Set([...adopted.querySelectorAll("form[data-draft-key]")].map((f) => f.dataset.draftKey));
    const result = merge(old, adopted, freshDrafts);
    if (result !== old) old.replaceWith(result);
    if (window.IdeaJam) window.IdeaJam.enhance(result);
    return result;
  }

  /** Every held form inside ``el`` as a block of its words (for a part that must go). */
  function keepWords(el) {
    return leftBehind(el);
  }

  window.IdeaJamRefresh = { update, holds, keepWords };
})();
