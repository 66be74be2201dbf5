// "Leave a Comment": progressive enhancement of the review page's comment form.
// The page HTML is shared (cacheable); this script fetches a CSRF token, a fresh
// form timestamp and the reader's own comments awaiting moderation.
(function () {
  "use strict";


  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function place(root, parentId, element) {
    let list = root.querySelector('[data-replies-for="' + (parentId || "") + '"]');
    if (!list) {
      list = document.createElement("ol");
      list.className = "comment-list";
      list.dataset.repliesFor = "";
      const empty = root.querySelector("[data-comments-empty]");
      if (empty) empty.replaceWith(list);
      else root.querySelector("h2").after(list);
    }
    list.append(element);
  }

  function init(root) {
    const form = root.querySelector("[data-comment-form]");
    if (!form) return;
    const status = root.querySelector("[data-comment-status]");
    const replying = form.querySelector("[data-replying]");
    const parentField = form.querySelector('[name="parent"]');
    const wrapper = root.querySelector("[data-comment-form-wrapper]");

    MarqueeForms.getState(root.dataset.stateUrl)
      .then(function (data) {
        form.querySelector('[name="csrfmiddlewaretoken"]').value = data.csrf_token;
        form.querySelector('[name="started"]').value = data.started;
        data.pending.forEach(function (item) {
          place(root, item.parent, fragment(item.html));
        });
        form.hidden = false;
        root.querySelector("[data-comment-fallback]").hidden = true;
        form.dataset.enhanced = "true";
      })
      .catch(function () {
        /* Keep the "Write a comment" link: it leads to the comment page. */
      });

    root.addEventListener("click", function (event) {
      const link = event.target.closest("[data-reply-to]");
      if (!link || form.dataset.enhanced !== "true") return;
      event.preventDefault();
      parentField.value = link.dataset.replyTo;
      replying.textContent = "Replying to " + link.dataset.replyName + ". ";
      const cancel = document.createElement("button");
      cancel.type = "button";
      cancel.className = "link-button";
      cancel.textContent = "Cancel reply";
      cancel.addEventListener("click", function () {
        parentField.value = "";
        replying.hidden = true;
        wrapper.append(form);
        form.querySelector("textarea").focus();
      });
      replying.append(cancel);
      replying.hidden = false;
      link.closest("article").after(form);
      form.querySelector("textarea").focus();
    });

    form.addEventListener("submit", function (event) {
      if (form.dataset.enhanced !== "true") return;
      event.preventDefault();
      status.textContent = "Sending…";
      MarqueeForms.submit(form)
        .then(function (result) {
          if (!result.ok) {
            status.textContent = result.data.error || "Your comment could not be sent.";
            return;
          }
          place(root, result.data.parent, fragment(result.data.html));
          status.textContent = result.data.message;
          form.querySelector("textarea").value = "";
          form.querySelector('[name="started"]').value = result.data.started;
          parentField.value = "";
          replying.hidden = true;
          wrapper.append(form);
        })
        .catch(function () {
          status.textContent = "Your comment could not be sent. Please try again.";
        });
    });
  }

  document.querySelectorAll("[data-comments]").forEach(init);
})();
