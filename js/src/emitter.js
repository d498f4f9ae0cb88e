// A minimal event emitter: listeners never break the caller, and `on` returns the
// function that removes the listener.
export class Emitter {
  #listeners = new Map();

  on(name, listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (!this.#listeners.has(name)) this.#listeners.set(name, new Set());
    this.#listeners.get(name).add(listener);
    return () => this.#listeners.get(name)?.delete(listener);
  }

  emit(name, detail) {
    for (const listener of this.#listeners.get(name) ?? []) {
      try {
        listener(detail);
      } catch (error) {
        // A shop's listener must not stop the engine; surface it without breaking the loop.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  clear() {
    this.#listeners.clear();
  }
}
