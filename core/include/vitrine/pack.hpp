// The model pack: a static binary file the shop publishes, read in place (no copy) from a
// byte buffer. Every offset and length is checked when the pack is opened, so the
// accessors below never read out of bounds. Format, byte by byte: docs/pack-format.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <vector>

#include "vitrine/hot_inline.hpp"
#include "vitrine/status.hpp"

namespace vitrine {

constexpr std::uint32_t kPackVersion = 1;
constexpr std::uint32_t kNoItem = 0xFFFFFFFFu;
constexpr std::uint32_t kNoCategory = 0xFFFFFFFFu;
constexpr std::size_t kPackMaxIdBytes = 256;

// Item-item relations. Rows are ordered by weight, strongest first.
enum class Relation : std::uint8_t {
  co_view_seq = 0,  // i viewed, then j within a few steps (directional, step-distance weighted)
  co_view = 1,      // i and j viewed in the same session (symmetric cosine)
  co_purchase = 2,  // i and j carted or ordered together (symmetric cosine)
};
constexpr int kRelationCount = 3;

// Section SSTA (optional): session statistics weighted by how recent the session is.
enum class SessionStat : std::uint8_t {
  popularity = 0,        // sessions with the item, each weighted exp(-age), age in 0..1
  recent = 1,            // the same with exp(-10 age): what is popular lately
  repeat = 2,            // share of the item's sessions where it is seen twice or more
  immediate_repeat = 3,  // share of its views followed at once by itself
  forward_sum = 4,       // row sums of the relations below (after min_support)
  backward_sum = 5,
  cooccur_sum = 6,
  immediate_sum = 7,
};
constexpr int kSessionStatValues = 8;
enum class SessionRelation : std::uint8_t {
  forward = 0,    // i, then j within 3 steps, weight 1/gap
  backward = 1,   // the transpose of forward: j came before i
  immediate = 2,  // i, then j at the next step
  cooccur = 3,    // i and j in the same session
};
constexpr int kSessionStatRelations = 4;

// Section FUSN (optional): a small learned fusion over the candidates of the statistics
// scorer. Views into the pack; read with load_f32 (no alignment is promised).
struct FusionParams {
  std::uint32_t features = 0;    // inputs F
  std::uint32_t hidden = 0;      // hidden units H
  std::uint32_t candidates = 0;  // how many of the statistics scorer's top items it reranks
  std::uint32_t hand_count = 0;  // hand weights of the statistics scorer it was trained with
  std::uint32_t neighbours = 0;  // candidates from the neighbourhood scorer (0: 50, layout 1)
  const std::uint8_t* feature_ids = nullptr;  // u32 x F: which feature each input is
  const std::uint8_t* hand = nullptr;         // f32 x hand_count
  const std::uint8_t* mean = nullptr;         // f32 x F, then scale f32 x F, u f32 x F,
  // W f32 x (H x F) row-major by hidden unit, b f32 x H, v f32 x H, contiguous after mean.
};

// Little-endian loads through memcpy: no alignment needed, no aliasing questions.
VITRINE_HOT_INLINE std::uint32_t load_u32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}
VITRINE_HOT_INLINE std::uint32_t load_u16(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8;
}
VITRINE_HOT_INLINE float load_f32(const std::uint8_t* p) {
  float v;
  std::memcpy(&v, p, 4);
  return v;
}

// A list of dense item ids stored in the pack (u32 little-endian each).
class IdList {
 public:
  IdList() = default;
  IdList(const std::uint8_t* ids, std::uint32_t size) : ids_(ids), size_(size) {}
  VITRINE_HOT_INLINE std::uint32_t size() const { return size_; }
  VITRINE_HOT_INLINE bool empty() const { return size_ == 0; }
  std::uint32_t operator[](std::uint32_t k) const { return load_u32(ids_ + 4 * std::size_t{k}); }

 private:
  const std::uint8_t* ids_ = nullptr;
  std::uint32_t size_ = 0;
};

// One row of a relation: the neighbours of an item and their dequantized weights.
class RelationRow {
 public:
  RelationRow() = default;
  VITRINE_HOT_INLINE RelationRow(const std::uint8_t* ids, const std::uint8_t* codes,
                                 std::uint32_t size, const float* table, std::uint32_t id_width)
      : ids_(ids), codes_(codes), table_(table), size_(size), wide_(id_width == 4) {}
  std::uint32_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // Neighbour ids are u16 in packs of at most 65536 items, u32 otherwise.
  VITRINE_HOT_INLINE std::uint32_t item(std::uint32_t k) const {
    return wide_ ? load_u32(ids_ + 4 * std::size_t{k}) : load_u16(ids_ + 2 * std::size_t{k});
  }
  std::uint8_t code(std::uint32_t k) const { return codes_[k]; }
  VITRINE_HOT_INLINE float weight(std::uint32_t k) const { return table_[codes_[k]]; }

 private:
  const std::uint8_t* ids_ = nullptr;
  const std::uint8_t* codes_ = nullptr;
  const float* table_ = nullptr;
  std::uint32_t size_ = 0;
  bool wide_ = true;
};

// Differential privacy of a pack (section DPAR; docs/pack-format.md). enabled is false for
// an exact (thresholded) pack.
struct PackPrivacy {
  bool enabled = false;
  std::uint32_t mechanism = 0;  // analytic Gaussian, GDP; 1 unit, 2 L2 pair weights
  std::uint32_t selection = 0;  // of pairs: 0 threshold, 1 public domain (a cut on all pairs)
  std::uint32_t max_pairs = 0;  // L
  std::uint32_t max_items = 0;  // M
  double epsilon = 0, delta = 0, mu = 0;
  double scale = 1;  // evaluation only; 1 in a real pack
  double sigma_popularity = 0, sigma_pairs = 0, threshold = 0, delta_selection = 0;
};

// Build parameters recorded in the pack (sections META and DPAR).
struct PackInfo {
  std::uint32_t min_support = 0;    // every relation is supported by >= this many sessions
  std::uint32_t window = 0;         // step window of co_view_seq
  std::uint32_t max_neighbors = 0;  // row length cap of every relation
  std::uint64_t sessions = 0;       // sessions aggregated (a count, no session is stored)
  std::uint64_t orders = 0;         // sessions with a cart or an order
  PackPrivacy privacy;
};

struct PackOpenOptions {
  // CRC-32 of every section. About 1 ms per 2 MB; turn off only for a pack already verified.
  bool verify_checksums = true;
  // Every relation's neighbour ids in range; off only after PackChecks checked them.
  bool check_neighbours = true;
  // The item ids' offsets and order; off only after PackChecks checked them.
  bool check_ids = true;
  static PackOpenOptions checked() { return {false, false, false}; }  // after PackChecks
};

// What Pack::open checks that grows with the pack -- the CRC-32 of every section, every
// relation's neighbour ids, then the item ids' order -- a slice at a time, so that a page can check
// a large pack between frames and then open it with PackOpenOptions::checked(). `data` must stay
// alive and unchanged while the checks run.
class PackChecks {
 public:
  // Checks the header, the section table and the relations' layout (as Pack::open does).
  static Result<PackChecks> start(const std::uint8_t* data, std::size_t size);
  // Checks up to `max_bytes` more bytes: true once all is checked; data_loss at the first
  // section whose checksum differs or the first neighbour id out of range.
  Result<bool> step(std::size_t max_bytes);

 private:
  static constexpr std::uint32_t kIdsPart = 0xFFFFFFFF;
  struct Part {
    std::uint32_t tag;
    const std::uint8_t* data;
    std::size_t size;
    std::uint32_t crc;    // a section: its checksum
    std::uint32_t width;  // a relation's ids: 2 or 4 bytes each (crc unused); 0: a section;
                          // kIdsPart: the item ids' offsets (IDOF; size counts ids)
  };
  std::vector<Part> parts_;  // the sections, the relations' id arrays, then the item ids
  struct {
    const std::uint8_t* p = nullptr;
    std::size_t n = 0;
  } id_bytes_;  // IDST
  std::uint32_t items_ = 0;
  std::size_t next_ = 0;  // the part being checked
  std::size_t done_ = 0;  // its bytes checked so far
  std::uint32_t crc_ = 0;
};

class Pack {
 public:
  Pack() = default;  // an empty pack: no items

  // Checks the bytes and returns a view on them. `data` must stay alive and unchanged as
  // long as the Pack (and anything read from it) is used. Never throws on bad bytes:
  // data_loss for corrupt or truncated bytes, unsupported for a newer version.
  static Result<Pack> open(const std::uint8_t* data, std::size_t size,
                           PackOpenOptions options = {});

  std::uint32_t item_count() const { return item_count_; }
  std::uint32_t category_count() const { return category_count_; }
  const PackInfo& info() const { return info_; }

  // Dense id of a string item id (binary search over the sorted id table).
  std::optional<std::uint32_t> find(std::string_view item_id) const;
  std::optional<std::uint32_t> find_category(std::string_view name) const;

  // Accessors take a dense id < item_count() (checked: out of range gives empty values).
  std::string_view item_id(std::uint32_t item) const;
  VITRINE_HOT_INLINE std::uint32_t category(std::uint32_t item) const {  // kNoCategory when unknown
    return item < item_count_ ? load_u32(item_category_ + 4 * std::size_t{item}) : kNoCategory;
  }
  std::string_view category_name(std::uint32_t category) const;
  float price(std::uint32_t item) const;  // NaN when unknown
  VITRINE_HOT_INLINE bool available(std::uint32_t item) const {
    return item < item_count_ && (item_flags_[item] & 1u) != 0;
  }
  // Global, dequantized count of sessions with the item.
  VITRINE_HOT_INLINE float popularity(std::uint32_t item) const {
    return item < item_count_ ? pop_table_[pop_codes_[item]] : 0.0f;
  }

  // Most popular items, most popular first (ties by dense id): global, and per segment.
  // A segment is a category: the top of the items whose category is `category`.
  IdList top_items() const;
  IdList top_items_in(std::uint32_t category) const;
  // Optional (section POPB; older packs have none): the price bands' lower bounds
  // (medium, high) and the most popular items of band 0 (low), 1 (medium) or 2 (high).
  bool has_price_bands() const { return band_ptr_ != nullptr; }
  float band_medium() const { return band_medium_; }
  float band_high() const { return band_high_; }
  IdList top_items_in_band(int band) const;

  bool has_relation(Relation relation) const { return rel_[index(relation)].rows != 0; }
  RelationRow row(Relation relation, std::uint32_t item) const {
    return row_in(rel_[index(relation)], item);
  }

  // Optional int8 embeddings: dim() == 0 when absent. Item vector = scale * int8 values.
  std::uint32_t embedding_dim() const { return emb_dim_; }
  float embedding_scale() const { return emb_scale_; }
  const std::int8_t* embedding(std::uint32_t item) const;  // nullptr when absent / bad id
  // Optional (section EIDX): the embeddings grouped in clusters, each with a centre and a
  // radius no member is farther than (int8 units), for an exact pruned search. Views into
  // the pack: centres clusters * dim f32, radius clusters f32, offsets clusters + 1 u32
  // (0 .. item_count), members item_count u32 (every item once, by cluster).
  struct EmbeddingClusters {
    std::uint32_t count = 0;
    const std::uint8_t* centres = nullptr;
    const std::uint8_t* radius = nullptr;
    const std::uint8_t* offsets = nullptr;
    const std::uint8_t* members = nullptr;
  };
  const EmbeddingClusters& embedding_clusters() const { return emb_clusters_; }

  // Session statistics (section SSTA; absent in older packs and in private packs).
  bool has_session_stats() const { return stats_values_[0] != nullptr; }
  VITRINE_HOT_INLINE float session_stat(SessionStat stat, std::uint32_t item) const {
    const int s = static_cast<int>(stat);
    return item < item_count_ && stats_values_[s] != nullptr
               ? stats_tables_[s][stats_values_[s][item]]
               : 0.0f;
  }
  RelationRow session_row(SessionRelation relation, std::uint32_t item) const {
    return row_in(stats_rel_[static_cast<int>(relation)], item);
  }
  bool has_session_relation(SessionRelation relation) const {
    return stats_rel_[static_cast<int>(relation)].rows != 0;
  }
  // The learned fusion (section FUSN), valid when has_fusion().
  bool has_fusion() const { return fusion_.features != 0; }
  const FusionParams& fusion() const { return fusion_; }

  std::size_t byte_size() const { return size_; }

 private:
  struct Rel {
    std::uint32_t rows = 0;
    std::uint32_t nnz = 0;
    std::uint32_t id_width = 4;
    const std::uint8_t* row_ptr = nullptr;  // rows + 1 u32
    const std::uint8_t* ids = nullptr;      // nnz ids of id_width bytes
    const std::uint8_t* codes = nullptr;    // nnz u8
    float table[256] = {};
  };
  static int index(Relation r) { return static_cast<int>(r); }
  VITRINE_HOT_INLINE static RelationRow row_in(const Rel& rel, std::uint32_t item) {
    if (item >= rel.rows) return {};
    const std::uint32_t a = load_u32(rel.row_ptr + 4 * std::size_t{item});
    const std::uint32_t b = load_u32(rel.row_ptr + 4 * (std::size_t{item} + 1));
    return {rel.ids + std::size_t{rel.id_width} * a, rel.codes + a, b - a, rel.table, rel.id_width};
  }
  // Optional sections added after version 1 shipped (pack_stats.cpp).
  Status read_session_stats(const std::uint8_t* p, std::size_t len);
  Status read_fusion(const std::uint8_t* p, std::size_t len);
  Status read_embedding_clusters(const std::uint8_t* p, std::size_t len);

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  std::uint32_t item_count_ = 0;
  std::uint32_t category_count_ = 0;
  PackInfo info_;
  const std::uint8_t* id_offsets_ = nullptr;  // item_count + 1 u32
  const std::uint8_t* id_bytes_ = nullptr;
  const std::uint8_t* item_category_ = nullptr;  // u32 each
  const std::uint8_t* item_price_ = nullptr;     // f32 each
  const std::uint8_t* item_flags_ = nullptr;     // u8 each
  const std::uint8_t* cat_offsets_ = nullptr;
  const std::uint8_t* cat_bytes_ = nullptr;
  const std::uint8_t* pop_codes_ = nullptr;
  float pop_table_[256] = {};
  const std::uint8_t* top_ids_ = nullptr;
  std::uint32_t top_count_ = 0;
  const std::uint8_t* seg_ptr_ = nullptr;  // category_count + 1 u32
  const std::uint8_t* seg_ids_ = nullptr;
  const std::uint8_t* band_ptr_ = nullptr;  // 4 u32 offsets, then ids
  float band_medium_ = 0, band_high_ = 0;
  Rel rel_[kRelationCount];
  std::uint32_t emb_dim_ = 0;
  float emb_scale_ = 0;
  const std::int8_t* emb_ = nullptr;
  EmbeddingClusters emb_clusters_;
  const std::uint8_t* stats_values_[kSessionStatValues] = {};
  float stats_tables_[kSessionStatValues][256] = {};
  Rel stats_rel_[kSessionStatRelations];
  FusionParams fusion_;
};

// Section tags (four ASCII bytes read as a little-endian u32).
constexpr std::uint32_t pack_tag(const char (&s)[5]) {
  return std::uint32_t(std::uint8_t(s[0])) | std::uint32_t(std::uint8_t(s[1])) << 8 |
         std::uint32_t(std::uint8_t(s[2])) << 16 | std::uint32_t(std::uint8_t(s[3])) << 24;
}

}  // namespace vitrine
