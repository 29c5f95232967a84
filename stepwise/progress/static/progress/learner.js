// Enhancements of the learner's pages. Every page works without this file: the Save buttons
// stay, and they send everything on the page.
//
// - Answer pages (form[data-stepwise-answers]): an answer is saved as it is tapped (and a
//   reflection when it is left, once its row has an answer). Each row says "Saved" or why
//   not; one status region tells screen reader users.
// - Any of those forms: with no connection, pressing Save keeps the page as it is (and says
//   so) instead of losing it to the browser's error page.
// - Ask for confirmation (form[data-stepwise-ask]): each section's summary counts what is
//   ticked as it changes.
// - Evidence (input[data-max-bytes]): a photo larger than the limit is made smaller (a JPEG,
//   at most 3000 pixels across) before it is sent, instead of being refused after a long
//   upload on the ward's network.

const SAVED = "Saved";
const SAVING = "Saving…";
const OFFLINE =
  "Not saved yet: there is no connection. Your answers are still on this page: press Save when you are connected.";
const SIGNED_OUT =
  "Not saved: you were signed out. Press Save at the bottom of the page: you will sign in again and your answers are kept.";
const FAILED = "Not saved: press Save at the bottom of the page to see why.";

function statusRegion(form) {
  const region = document.createElement("div");
  region.className = "nhsuk-u-visually-hidden";
  region.setAttribute("role", "status");
  form.append(region);
  return region;
}

function rowStatus(row) {
  let status = row.querySelector(".stepwise-answer__status");
  if (!status) {
    status = document.createElement("p");
    status.className = "nhsuk-body-s stepwise-answer__status";
    row.querySelector(".stepwise-answer__choice").append(status);
  }
  return status;
}

function code(row) {
  const element = row.querySelector(".stepwise-answer__code");
  return element ? element.textContent.trim() : "";
}

async function saveRow(form, row, announce) {
  const status = rowStatus(row);
  const data = new FormData();
  data.append("csrfmiddlewaretoken", form.elements.csrfmiddlewaretoken.value);
  for (const field of row.querySelectorAll("input[type=radio]:checked, textarea")) {
    data.append(field.name, field.value);
  }
  status.textContent = SAVING;
  let text;
  try {
    const response = await fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      redirect: "error",
    });
    const reply = await response.json().catch(() => ({}));
    if (response.ok) {
      text = SAVED;
    } else if (response.status === 401) {
      text = SIGNED_OUT;
    } else {
      text = (reply.errors && reply.errors.join(" ")) || FAILED;
    }
  } catch {
    text = OFFLINE;
  }
  status.textContent = text;
  announce.textContent = `${code(row)}: ${text}`;
}

function enhanceAnswers(form) {
  const announce = statusRegion(form);
  // One save at a time, in the order tapped, so a quick change of mind cannot be overtaken
  // by the answer before it; a row waiting in the queue is sent once, as it is by then.
  const waiting = [];
  let saving = false;
  async function saveInTurn() {
    saving = true;
    while (waiting.length) {
      await saveRow(form, waiting.shift(), announce);
    }
    saving = false;
  }
  form.addEventListener("change", (event) => {
    const field = event.target;
    const row = field.closest(".stepwise-answer");
    if (!row || !row.querySelector(".stepwise-answer__choice input[type=radio]")) {
      return;
    }
    const answered = row.querySelector("input[type=radio]:checked");
    if (field.type === "radio" || (field.tagName === "TEXTAREA" && answered)) {
      if (!waiting.includes(row)) {
        waiting.push(row);
        rowStatus(row).textContent = SAVING;
      }
      if (!saving) {
        saveInTurn();
      }
    }
  });
  keepWhenOffline(form, announce);
}

function keepWhenOffline(form, announce) {
  form.addEventListener("submit", (event) => {
    if (navigator.onLine === false) {
      event.preventDefault();
      announce.textContent = OFFLINE;
      const bar = form.querySelector(".stepwise-save-bar") || form;
      let note = bar.querySelector(".stepwise-offline");
      if (!note) {
        note = document.createElement("p");
        note.className = "nhsuk-body-s nhsuk-u-font-weight-bold stepwise-offline";
        bar.prepend(note);
      }
      note.textContent = OFFLINE;
    }
  });
}

function enhanceAsk(form) {
  for (const section of form.querySelectorAll("details")) {
    const summary = section.querySelector(".nhsuk-details__summary-text");
    const boxes = section.querySelectorAll("input[type=checkbox]");
    const legend = section.querySelector("legend");
    if (!summary || !legend) {
      continue;
    }
    const count = () => {
      const ticked = [...boxes].filter((box) => box.checked).length;
      summary.textContent = `${legend.textContent.trim()} (${ticked} of ${boxes.length} selected)`;
    };
    section.addEventListener("change", count);
    count();
  }
  keepWhenOffline(form, statusRegion(form));
}

const PHOTO = /^image\/(jpeg|png)$/;
const LONGEST_SIDE = 3000;

async function smaller(file, limit) {
  const bitmap = await createImageBitmap(file);
  let scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
  for (;;) {
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.85));
    if (blob.size <= limit || scale < 0.2) {
      const name = file.name.replace(/\.[^.]*$/, "") + ".jpg";
      return new File([blob], name, { type: "image/jpeg" });
    }
    scale *= 0.75;
  }
}

function keepPhotosWithinLimit(input) {
  const limit = Number(input.dataset.maxBytes);
  input.addEventListener("change", async () => {
    const chosen = [...input.files];
    if (!chosen.some((file) => file.size > limit && PHOTO.test(file.type))) {
      return;
    }
    const files = new DataTransfer();
    for (const file of chosen) {
      const tooBig = file.size > limit && PHOTO.test(file.type);
      files.items.add(tooBig ? await smaller(file, limit).catch(() => file) : file);
    }
    input.files = files.files;
    const hint = document.getElementById(`${input.id}-hint`);
    if (hint && !hint.dataset.told) {
      hint.dataset.told = "yes";
      hint.append(" A large photo was made smaller to fit.");
    }
  });
}

for (const input of document.querySelectorAll("input[type=file][data-max-bytes]")) {
  keepPhotosWithinLimit(input);
}
for (const form of document.querySelectorAll("form[data-stepwise-answers]")) {
  enhanceAnswers(form);
}
for (const form of document.querySelectorAll("form[data-stepwise-ask]")) {
  enhanceAsk(form);
}
