#include "digit_pattern.hpp"

#include <functional>
#include <memory>
#include <utility>

namespace vitrine::autofill {
namespace {

struct Alt;
struct Item {
  unsigned digits = 0;         // a digit class as a bit mask, when group is null
  std::shared_ptr<Alt> group;  // a group
  int capture = -1;            // its capturing index, -1 for (?:...)
  int min = 1, max = 1;
};
using Seq = std::vector<Item>;
struct Alt {
  std::vector<Seq> options;
};

// Recursive descent over the subset; any other syntax makes the pattern match nothing.
class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}
  std::shared_ptr<Alt> parse() {
    auto alt = parse_alt();
    return ok_ && i_ == p_.size() ? alt : nullptr;
  }

 private:
  std::shared_ptr<Alt> parse_alt() {
    auto alt = std::make_shared<Alt>();
    alt->options.push_back(parse_seq());
    while (ok_ && i_ < p_.size() && p_[i_] == '|') {
      ++i_;
      alt->options.push_back(parse_seq());
    }
    return alt;
  }
  Seq parse_seq() {
    Seq seq;
    while (ok_ && i_ < p_.size() && p_[i_] != '|' && p_[i_] != ')') {
      Item item = parse_atom();
      parse_quantifier(item);
      seq.push_back(std::move(item));
    }
    return seq;
  }
  Item parse_atom() {
    Item item;
    const char c = p_[i_++];
    if (c >= '0' && c <= '9') {
      item.digits = 1u << (c - '0');
    } else if (c == '\\' && i_ < p_.size() && p_[i_] == 'd') {
      ++i_;
      item.digits = 0x3ff;
    } else if (c == '[') {
      while (ok_ && i_ < p_.size() && p_[i_] != ']') {
        const char lo = p_[i_++];
        char hi = lo;
        if (lo == '\\' && i_ < p_.size() && p_[i_] == 'd') {
          ++i_;
          item.digits |= 0x3ff;
          continue;
        }
        if (i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
          hi = p_[i_ + 1];
          i_ += 2;
        }
        if (lo < '0' || hi > '9' || lo > hi) ok_ = false;
        for (char d = lo; ok_ && d <= hi; ++d) item.digits |= 1u << (d - '0');
      }
      ok_ = ok_ && i_ < p_.size();
      ++i_;
    } else if (c == '(') {
      if (p_.substr(i_, 2) == "?:") {
        i_ += 2;
      } else {
        item.capture = captures_++;
      }
      item.group = parse_alt();
      ok_ = ok_ && i_ < p_.size() && p_[i_] == ')';
      ++i_;
    } else {
      ok_ = false;
    }
    return item;
  }
  void parse_quantifier(Item& item) {
    if (i_ >= p_.size()) return;
    if (p_[i_] == '?') {
      item.min = 0;
      ++i_;
    } else if (p_[i_] == '{') {
      ++i_;
      item.min = read_int();
      item.max = item.min;
      if (i_ < p_.size() && p_[i_] == ',') {
        ++i_;
        item.max = read_int();
      }
      ok_ = ok_ && i_ < p_.size() && p_[i_] == '}' && item.min <= item.max;
      ++i_;
    }
  }
  int read_int() {
    int v = 0;
    bool any = false;
    while (i_ < p_.size() && p_[i_] >= '0' && p_[i_] <= '9' && v < 1000) {
      v = v * 10 + (p_[i_++] - '0');
      any = true;
    }
    ok_ = ok_ && any;
    return v;
  }

  std::string_view p_;
  std::size_t i_ = 0;
  int captures_ = 0;
  bool ok_ = true;
};

using Cont = std::function<bool(std::size_t)>;

class Matcher {
 public:
  explicit Matcher(std::string_view text) : text_(text) {}
  std::vector<std::pair<std::size_t, std::size_t>> caps;

  bool alt(const Alt& a, std::size_t pos, const Cont& k) {
    for (const Seq& s : a.options) {
      if (seq(s, 0, pos, k)) return true;
    }
    return false;
  }

 private:
  bool seq(const Seq& s, std::size_t i, std::size_t pos, const Cont& k) {
    if (i == s.size()) return k(pos);
    return item(s[i], 0, pos, [&](std::size_t p) { return seq(s, i + 1, p, k); });
  }
  // Greedy: one more repetition first, then stop if at least min were matched.
  bool item(const Item& it, int count, std::size_t pos, const Cont& k) {
    if (count < it.max &&
        one(it, pos, [&](std::size_t p) { return p != pos && item(it, count + 1, p, k); })) {
      return true;
    }
    return count >= it.min && k(pos);
  }
  bool one(const Item& it, std::size_t pos, const Cont& k) {
    if (!it.group) {
      if (pos >= text_.size() || text_[pos] < '0' || text_[pos] > '9') return false;
      if (!(it.digits & (1u << (text_[pos] - '0')))) return false;
      return k(pos + 1);
    }
    if (it.capture < 0) return alt(*it.group, pos, k);
    if (caps.size() <= static_cast<std::size_t>(it.capture)) {
      caps.resize(static_cast<std::size_t>(it.capture) + 1);
    }
    const auto saved = caps[static_cast<std::size_t>(it.capture)];
    if (alt(*it.group, pos, [&](std::size_t p) {
          caps[static_cast<std::size_t>(it.capture)] = {pos, p};
          return k(p);
        })) {
      return true;
    }
    caps[static_cast<std::size_t>(it.capture)] = saved;
    return false;
  }

  std::string_view text_;
};

}  // namespace

bool match_full(std::string_view pattern, std::string_view text, std::vector<std::string>* groups) {
  const auto alt = Parser(pattern).parse();
  if (!alt) return false;
  Matcher m(text);
  if (!m.alt(*alt, 0, [&](std::size_t p) { return p == text.size(); })) return false;
  if (groups) {
    groups->clear();
    for (const auto& [a, b] : m.caps) groups->emplace_back(text.substr(a, b - a));
  }
  return true;
}

bool match_prefix(std::string_view pattern, std::string_view text) {
  if (pattern.empty()) return true;
  const auto alt = Parser(pattern).parse();
  if (!alt) return false;
  Matcher m(text);
  return m.alt(*alt, 0, [](std::size_t) { return true; });
}

}  // namespace vitrine::autofill
