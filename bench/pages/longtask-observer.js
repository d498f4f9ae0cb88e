// Records every long task (> 50 ms on the main thread) from the page's first script on,
// before the script tag starts: bench/long_tasks.mjs reads window.longTasks.
window.longTasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    window.longTasks.push({start: e.startTime, duration: e.duration});
  }
}).observe({type: 'longtask', buffered: true});
