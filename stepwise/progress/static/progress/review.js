// Enhancements only: the review page works without this file. "Confirm all in this section"
// ticks Confirm here for the section's proficiencies not yet decided, instead of sending the
// form there and back, and the save bar keeps count of the decisions.
const form = document.querySelector("[data-review]");

function outcomes(within) {
  return [...within.querySelectorAll(".stepwise-decision")].map((row) => ({
    confirm: row.querySelector('input[name^="outcome_"][value="confirmed"]'),
    reject: row.querySelector('input[name^="outcome_"][value="rejected"]'),
  }));
}

function plural(count, one, many) {
  return `${count} ${count === 1 ? one : many}`;
}

// The same words as the page's own count (presenters.staff_review.decision_counts).
function showCounts() {
  const rows = outcomes(form);
  const rejected = rows.filter((row) => row.reject.checked).length;
  const confirmed = rows.filter((row) => row.confirm.checked).length;
  const undecided = rows.length - rejected - confirmed;
  const parts = rejected ? [`${rejected} to reject`] : [];
  parts.push(`${confirmed} to confirm`);
  if (undecided) parts.push(`${undecided} not decided yet`);
  form.querySelector("[data-review-counts]").textContent = parts.join(", ");
}

if (form) {
  form.addEventListener("change", (event) => {
    if (event.target.name && event.target.name.startsWith("outcome_")) showCounts();
  });
  for (const button of form.querySelectorAll("[data-confirm-section]")) {
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const section = document.getElementById(button.dataset.confirmSection);
      const undecided = outcomes(section).filter((row) => !row.confirm.checked && !row.reject.checked);
      for (const row of undecided) row.confirm.checked = true;
      showCounts();
      const title = section.querySelector("h2").textContent.trim();
      form.querySelector("[data-review-announce]").textContent =
        `${plural(undecided.length, "proficiency", "proficiencies")} in ${title} set to Confirm`;
    });
  }
}
