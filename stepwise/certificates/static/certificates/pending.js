// Enhancements only: without this file a certificate still being made offers "Check again".
// With it the page asks every few seconds whether the PDF is stored (a HEAD request to its
// download address answers with a PDF once it is) and then offers the download in place.
const EVERY_SECONDS = 5;
const GIVE_UP_AFTER = 120; // ten minutes: "Check again" still works after that

function link(href, text) {
  const anchor = document.createElement("a");
  anchor.href = href;
  anchor.setAttribute("download", "");
  anchor.className = "stepwise-target";
  anchor.textContent = text;
  const paragraph = document.createElement("p");
  paragraph.append(anchor);
  return paragraph;
}

for (const waiting of document.querySelectorAll("[data-certificate-pending]")) {
  const pdf = waiting.dataset.certificatePending;
  let tries = 0;
  const timer = setInterval(async () => {
    tries += 1;
    if (tries > GIVE_UP_AFTER) clearInterval(timer);
    let response;
    try {
      response = await fetch(pdf, { method: "HEAD", credentials: "same-origin" });
    } catch {
      return; // offline for a moment: ask again next time
    }
    if (!(response.headers.get("Content-Type") || "").startsWith("application/pdf")) return;
    clearInterval(timer);
    waiting.replaceChildren(
      link(pdf, "Download your certificate (PDF)"),
      link(waiting.dataset.certificateCredential, "Download digital credential"),
    );
    const announce = document.querySelector("[data-certificate-announce]");
    if (announce) announce.textContent = "Your certificate is ready to download.";
  }, EVERY_SECONDS * 1000);
}
