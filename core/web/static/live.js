// A job's progress as it happens. The job row (GET /jobs/{id}) is the truth: the page keeps asking
// until the row says the job is final, whatever the socket says. The /ws socket shows each stage as
// it starts, and its end events make the next question come at once; it never ends the watch.
// Polling is fast while the socket is down or an end was announced, slow while the socket is up.
import { accessToken, api, OfflineError, setAccess } from "./api.js";

export const FINAL = ["completed", "failed", "review"];
const FAST_MS = 1500;
const SLOW_MS = 8000;

export function watchJob(jobId, onUpdate) {
  let stopped = false;
  let socketReady = false;
  let socket = null;
  let timer = null;
  let last = null;
  let asking = false; // a GET is on its way
  let askAgain = false; // the socket announced news while it was
  let endAnnounced = false; // the socket said the job ended: ask quickly until the row agrees
  let retryMs = 1000;

  function show(job) {
    if (stopped) return;
    last = { ...(last || {}), ...job };
    onUpdate(last);
  }

  async function poll() {
    if (timer) { clearTimeout(timer); timer = null; }
    if (stopped) return;
    if (asking) { askAgain = true; return; }
    asking = true;
    try {
      const job = await api(`/jobs/${jobId}`);
      show(job);
      if (FINAL.includes(job.status)) stop(); // only the row ends the watch
    } catch (error) {
      if (!(error instanceof OfflineError)) show({ pollError: error.message });
    }
    asking = false;
    if (stopped) return;
    if (askAgain) { askAgain = false; poll(); return; }
    timer = setTimeout(poll, socketReady && !endAnnounced ? SLOW_MS : FAST_MS);
  }

  function announced(data) {
    // A stage starting is shown at once; an end is only a reason to ask the job row now.
    if (data.status && !FINAL.includes(data.status)) {
      show({ status: data.status, stage: data.stage });
      return;
    }
    endAnnounced = true;
    poll();
  }

  function connect() {
    try {
      socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    } catch (error) {
      return;
    }
    socket.onopen = () => socket.send(JSON.stringify({ type: "auth", token: accessToken() }));
    socket.onmessage = (event) => {
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      const data = message.data || {};
      if (message.type === "ready") socket.send(JSON.stringify({ type: "subscribe:job", jobId }));
      else if (message.type === "subscribed") socketReady = true;
      else if (data.jobId && data.jobId !== jobId) return;
      else if (message.type === "job:status") announced(data);
      else if (["job:completed", "job:failed", "job:hitl_required"].includes(message.type)) announced({});
    };
    socket.onclose = async (event) => {
      socketReady = false;
      if (stopped) return;
      // Try again later (polling carries on meanwhile); an expired token (4401) is renewed first.
      if (event.code === 4401) await self.TT.refresh().then((token) => token && setAccess(token)).catch(() => {});
      retryMs = Math.min(retryMs * 2, 30000);
      setTimeout(() => { if (!stopped) connect(); }, retryMs);
    };
    socket.onerror = () => { socketReady = false; };
  }

  function stop() {
    stopped = true;
    if (timer) clearTimeout(timer);
    if (socket && socket.readyState <= 1) {
      try {
        if (socket.readyState === 1) socket.send(JSON.stringify({ type: "unsubscribe:job", jobId }));
        socket.close(1000);
      } catch (e) { /* closing anyway */ }
    }
  }

  connect();
  poll();
  return stop;
}
