// A minimal event emitter: listeners never break the caller, and `on` returns the
// function that removes the listener. 'error' events with no listener yet (say, a pack
// that failed while createVitrine was starting) are kept and given to the first one.
const KEPT_ERRORS = 20;

export class Emitter {
  #listeners = new Map();
  #unheardErrors = [];

  on(name, listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (!this.#listeners.has(name)) this.#listeners.set(name, new Set());
    this.#listeners.get(name).add(listener);
    if (name === 'error') {
      for (const detail of this.#unheardErrors.splice(0)) this.#call(listener, detail);
    }
    return () => this.#listeners.get(name)?.delete(listener);
  }

  emit(name, detail) {
    const listeners = this.#listeners.get(name);
    if (name === 'error' && !listeners?.size) {
      if (this.#unheardErrors.length < KEPT_ERRORS) this.#unheardErrors.push(detail);
      return;
    }
    for (const listener of listeners ?? []) this.#call(listener, detail);
  }

  #call(listener, detail) {
    try {
      listener(detail);
    } catch (error) {
      // A shop's listener must not stop the engine; surface it without breaking the loop.
      queueMicrotask(() => {
        throw error;
      });
    }
  }

  clear() {
    this.#listeners.clear();
    this.#unheardErrors = [];
  }
}
