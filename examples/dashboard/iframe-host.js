// A dashboard that shows the services list in an iframe from another origin (here: the same
// server under its other name, localhost <-> 127.0.0.1) and answers its requests for a token.
const frame = document.getElementById("services-frame");
const otherHost = location.hostname === "localhost" ? "127.0.0.1" : "localhost";
const appOrigin = `${location.protocol}//${otherHost}${location.port ? `:${location.port}` : ""}`;

const iframeDemo = { tokenRequests: 0 };
window.iframeDemo = iframeDemo;

async function dashboardToken() {
  const response = await fetch("/api/demo/users", { headers: { Accept: "application/json" } });
  const { items } = await response.json();
  return items.find((u) => u.name === "Ada Morgan").token;
}

window.addEventListener("message", async (event) => {
  // Only the framed app, from the origin we put in the frame, gets a token.
  if (event.origin !== appOrigin || event.source !== frame.contentWindow) return;
  if (!event.data || event.data.type !== "patchworks:services-list:token-request") return;
  iframeDemo.tokenRequests += 1;
  const token = await dashboardToken();
  event.source.postMessage({ type: "patchworks:services-list:token", token }, event.origin);
});

frame.src = `${appOrigin}/`;
