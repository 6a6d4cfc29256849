// The "under the hood" panel: its steps come from the panel's own view (data-src), loaded when it opens and
// refreshed while the processing page waits for Smartpay (the steps arrive as the reads and webhooks happen).
// It remembers whether it is open. Without JavaScript the panel holds a link to the same view.
(function () {
  const panel = document.getElementById("under-the-hood");
  if (!panel) return;
  const key = "under-the-hood-open";
  const steps = panel.querySelector(".demo-steps");
  async function load() {
    try {
      const response = await fetch(panel.dataset.src, { headers: { Accept: "text/html" } });
      if (response.ok) steps.innerHTML = await response.text();
    } catch (error) { /* offline for a moment: try again next time */ }
  }
  panel.addEventListener("toggle", function () {
    window.localStorage.setItem(key, panel.open ? "1" : "0");
    if (panel.open) load();
  });
  panel.open = window.localStorage.getItem(key) === "1";
  if (!document.getElementById("order-status")) return;
  setInterval(function () { if (panel.open) load(); }, 2000);
})();
