// "Your star rating": progressive enhancement of the review page's rating form.
// The page HTML is the same for every reader (so it can be cached); this script
// fetches the reader's own vote and a CSRF token, then votes in place.
(function () {
  "use strict";


  function plural(n, one, many) {
    return n === 1 ? one : many;
  }

  function render(root, data) {
    const summary = document.querySelector("[data-reader-summary]");
    if (summary) {
      summary.textContent = data.count
        ? data.average.toFixed(1) + " from " + data.count + " " + plural(data.count, "reader", "readers")
        : "No reader ratings yet";
    }
    const yours = root.querySelector("[data-your-vote]");
    if (data.your_vote) {
      const radio = root.querySelector('input[name="value"][value="' + data.your_vote + '"]');
      if (radio) radio.checked = true;
      yours.textContent = "You rated this film " + data.your_vote + " " + plural(data.your_vote, "star", "stars") + ". Choose again to change it.";
      yours.hidden = false;
      root.querySelector("[data-rating-submit]").textContent = "Change rating";
    }
    const box = root.querySelector("[data-distribution]");
    if (data.distribution) {
      const list = box.querySelector("dl");
      list.textContent = "";
      for (let stars = 5; stars >= 1; stars--) {
        const votes = data.distribution[String(stars)] || 0;
        const percent = data.count ? Math.round((100 * votes) / data.count) : 0;
        const row = document.createElement("div");
        row.className = "bar" + (stars === data.your_vote ? " bar--yours" : "");
        const dt = document.createElement("dt");
        dt.textContent = stars + " " + plural(stars, "star", "stars") + (stars === data.your_vote ? " (your rating)" : "");
        const dd = document.createElement("dd");
        const progress = document.createElement("progress");
        progress.max = 100;
        progress.value = percent;
        progress.setAttribute("aria-label", dt.textContent + ": " + percent + "%");
        progress.textContent = percent + "%";
        const count = document.createElement("span");
        count.textContent = votes;
        dd.append(progress, " ", count);
        row.append(dt, dd);
        list.append(row);
      }
      box.hidden = false;
    }
  }

  function init(root) {
    const form = root.querySelector("[data-rating-form]");
    const status = root.querySelector("[data-rating-status]");
    MarqueeForms.getState(root.dataset.stateUrl)
      .then(function (data) {
        form.querySelector('[name="csrfmiddlewaretoken"]').value = data.csrf_token;
        form.method = "post";
        form.dataset.enhanced = "true";
        render(root, data);
      })
      .catch(function () {
        /* Leave the plain form working: it goes to the rating page. */
      });

    form.addEventListener("submit", function (event) {
      if (form.dataset.enhanced !== "true") return;
      event.preventDefault();
      if (!form.querySelector('input[name="value"]:checked')) {
        status.textContent = "Choose from 1 to 5 stars.";
        return;
      }
      MarqueeForms.submit(form)
        .then(function (result) {
          if (!result.ok) {
            status.textContent = result.data.error || "Your rating could not be saved.";
            return;
          }
          render(root, result.data);
          status.textContent = "Thank you: your rating of " + result.data.your_vote + " " + plural(result.data.your_vote, "star", "stars") + " is saved.";
        })
        .catch(function () {
          status.textContent = "Your rating could not be saved. Please try again.";
        });
    });
  }

  document.querySelectorAll("[data-reader-rating]").forEach(init);
})();
