// Embind bindings for the engine facade. Conversion only: JS values to core types and
// back. Errors come back as status objects; the core throws nothing, and the wasm build has
// no C++ exceptions (-fno-exceptions: a failed allocation aborts the module).
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "engine_handle.hpp"
#include "status_value.hpp"
#include "vitrine/engine.hpp"

namespace {

using emscripten::val;
using vitrine::Engine;
using vitrine::wasm::EngineHandle;
using vitrine::wasm::status_value;
using vitrine::wasm::with_engine;
using Uint8Array = val;

val track(Engine& engine, const std::string& json, double now_ms) {
  return status_value(engine.track_json(json, static_cast<std::int64_t>(now_ms)));
}

val recently_viewed(const Engine& engine, double limit, double max_age_ms, bool exclude_purchased,
                    const std::string& exclude_item, double now_ms) {
  vitrine::RecentlyViewedOptions options;
  options.limit = static_cast<std::size_t>(limit);
  options.max_age_ms = static_cast<std::int64_t>(max_age_ms);
  options.exclude_purchased = exclude_purchased;
  options.exclude_item = exclude_item;
  const auto rows = engine.recently_viewed(options, static_cast<std::int64_t>(now_ms));
  val list = val::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    val row = val::object();
    row.set("itemId", rows[i].item.id);
    row.set("name", rows[i].item.name);
    row.set("category", rows[i].item.category);
    row.set("price", rows[i].item.price < 0 ? val::null() : val(rows[i].item.price));
    row.set("lastSeen", static_cast<double>(rows[i].last_seen_ms));
    row.set("views", rows[i].views);
    list.set(i, row);
  }
  val out = val::object();
  out.set("ok", true);
  out.set("rows", list);
  return out;
}

void set_consent(Engine& engine, int bits) {
  engine.set_consent(vitrine::privacy::ConsentState::from_bits(static_cast<std::uint8_t>(bits)));
}

int consent_bits(const Engine& engine) { return engine.consent().bits(); }

val bytes_value(const vitrine::Result<std::vector<std::uint8_t>>& bytes) {
  if (!bytes.is_ok()) return status_value(bytes.status());
  val out = val::object();
  out.set("ok", true);
  const auto& v = bytes.value();
  // Copy out of wasm memory: a view would go stale when memory grows.
  out.set("bytes", val::global("Uint8Array")
                       .new_(emscripten::typed_memory_view(v.size(), v.data()))
                       .call<val>("slice"));
  return out;
}

val snapshot(const Engine& engine) { return bytes_value(engine.snapshot()); }

val snapshot_since(const Engine& engine, double since_ms) {
  return bytes_value(engine.snapshot_since(static_cast<std::int64_t>(since_ms)));
}

val restore(Engine& engine, const Uint8Array& bytes) {
  const auto data = emscripten::convertJSArrayToNumberVector<std::uint8_t>(bytes);
  return status_value(engine.restore(data.data(), data.size()));
}

double enforce_retention(Engine& engine, double now_ms) {
  return static_cast<double>(engine.enforce_retention(static_cast<std::int64_t>(now_ms)));
}

double shed_history(Engine& engine, double keep) {
  return static_cast<double>(engine.shed_history(static_cast<std::size_t>(keep)));
}

val stats(const Engine& engine) {
  val out = val::object();
  out.set("accepted", static_cast<double>(engine.stats().accepted));
  out.set("rejected", static_cast<double>(engine.stats().rejected));
  out.set("historyEntries", static_cast<double>(engine.history().entries().size()));
  return out;
}

void erase(Engine& engine) { engine.erase(); }

EngineHandle engine_new() { return reinterpret_cast<EngineHandle>(new Engine()); }

void engine_delete(EngineHandle handle) { delete &vitrine::wasm::engine_at(handle); }

}  // namespace

EMSCRIPTEN_BINDINGS(vitrine_engine) {
  emscripten::function("engineNew", &engine_new);
  emscripten::function("engineDelete", &engine_delete);
  emscripten::function("track", with_engine<&track>);
  emscripten::function("recentlyViewed", with_engine<&recently_viewed>);
  emscripten::function("setConsent", with_engine<&set_consent>);
  emscripten::function("consentBits", with_engine<&consent_bits>);
  emscripten::function("snapshot", with_engine<&snapshot>);
  emscripten::function("snapshotSince", with_engine<&snapshot_since>);
  emscripten::function("restore", with_engine<&restore>);
  emscripten::function("enforceRetention", with_engine<&enforce_retention>);
  emscripten::function("shedHistory", with_engine<&shed_history>);
  emscripten::function("erase", with_engine<&erase>);
  emscripten::function("stats", with_engine<&stats>);
}
