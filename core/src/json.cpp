#include "vitrine/json.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

#include "decimal.hpp"

namespace vitrine {
namespace {

class Parser {
 public:
  Parser(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  Result<Json> run() {
    if (text_.size() > limits_.max_bytes) {
      return Status(Code::invalid_argument,
                    "JSON is larger than " + std::to_string(limits_.max_bytes) + " bytes");
    }
    Json root;
    if (!value(root, 0)) return Status(Code::invalid_argument, error_);
    skip_space();
    if (pos_ != text_.size()) return fail_status("unexpected data after the JSON value");
    return root;
  }

 private:
  Status fail_status(const std::string& what) {
    return Status(Code::invalid_argument, what + " at offset " + std::to_string(pos_));
  }
  bool fail(const std::string& what) {
    error_ = what + " at offset " + std::to_string(pos_);
    return false;
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return fail("invalid literal");
    pos_ += word.size();
    return true;
  }
  bool count_element() {
    if (++elements_ > limits_.max_elements) return fail("too many JSON elements");
    return true;
  }

  bool value(Json& out, std::size_t depth) {
    if (depth > limits_.max_depth) return fail("JSON nested too deeply");
    skip_space();
    if (pos_ >= text_.size()) return fail("unexpected end of JSON");
    switch (text_[pos_]) {
      case 'n':
        out = Json::make_null();
        return literal("null");
      case 't':
        out = Json::make_bool(true);
        return literal("true");
      case 'f':
        out = Json::make_bool(false);
        return literal("false");
      case '"': {
        std::string s;
        if (!string(s)) return false;
        out = Json::make_string(std::move(s));
        return true;
      }
      case '[':
        return array(out, depth);
      case '{':
        return object(out, depth);
      default:
        return number(out);
    }
  }

  bool array(Json& out, std::size_t depth) {
    ++pos_;  // [
    std::vector<Json> items;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      out = Json::make_array(std::move(items));
      return true;
    }
    for (;;) {
      if (!count_element()) return false;
      Json item;
      if (!value(item, depth + 1)) return false;
      items.push_back(std::move(item));
      skip_space();
      if (pos_ >= text_.size()) return fail("unterminated array");
      const char c = text_[pos_++];
      if (c == ']') break;
      if (c != ',') return fail("expected ',' or ']'");
    }
    out = Json::make_array(std::move(items));
    return true;
  }

  bool object(Json& out, std::size_t depth) {
    ++pos_;  // {
    Json::Members members;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      out = Json::make_object(std::move(members));
      return true;
    }
    for (;;) {
      if (!count_element()) return false;
      if (members.size() == limits_.max_members) return fail("too many members in an object");
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != '"') return fail("expected a member name");
      std::string key;
      if (!string(key)) return false;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected ':'");
      ++pos_;
      members.emplace_back(std::move(key), Json());
      if (!value(members.back().second, depth + 1)) return false;
      skip_space();
      if (pos_ >= text_.size()) return fail("unterminated object");
      const char c = text_[pos_++];
      if (c == '}') break;
      if (c != ',') return fail("expected ',' or '}'");
    }
    if (const std::string* twice = duplicate_name(members))
      return fail("duplicate member \"" + *twice + "\"");
    out = Json::make_object(std::move(members));
    return true;
  }

  // A name that two members share, or nullptr. Pair by pair: objects have at most
  // max_members members, so this stays small even for hostile input.
  static const std::string* duplicate_name(const Json::Members& members) {
    for (std::size_t i = 1; i < members.size(); ++i) {
      for (std::size_t k = 0; k < i; ++k) {
        if (members[k].first == members[i].first) return &members[i].first;
      }
    }
    return nullptr;
  }

  bool hex4(std::uint32_t& cp) {
    if (pos_ + 4 > text_.size()) return fail("truncated \\u escape");
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      cp <<= 4;
      if (c >= '0' && c <= '9')
        cp |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        cp |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        cp |= static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return fail("invalid \\u escape");
    }
    return true;
  }

  static void append_utf8(std::uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Checks one UTF-8 sequence starting at pos_ and copies it; refuses overlongs,
  // surrogates and code points above U+10FFFF.
  bool utf8_char(std::string& out) {
    const auto b0 = static_cast<unsigned char>(text_[pos_]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF)
      len = 2, cp = b0 & 0x1Fu;
    else if (b0 >= 0xE0 && b0 <= 0xEF)
      len = 3, cp = b0 & 0x0Fu;
    else if (b0 >= 0xF0 && b0 <= 0xF4)
      len = 4, cp = b0 & 0x07u;
    else
      return fail("invalid UTF-8");
    if (pos_ + len > text_.size()) return fail("truncated UTF-8");
    for (std::size_t i = 1; i < len; ++i) {
      const auto b = static_cast<unsigned char>(text_[pos_ + i]);
      if ((b & 0xC0) != 0x80) return fail("invalid UTF-8");
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
      return fail("invalid UTF-8");
    }
    out.append(text_.data() + pos_, len);
    pos_ += len;
    return true;
  }

  static bool plain(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x80 && c != '"' && c != '\\';
  }

  bool string(std::string& out) {
    ++pos_;  // opening quote
    for (;;) {
      if (pos_ >= text_.size()) return fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in string");
      if (static_cast<unsigned char>(c) >= 0x80) {
        if (!utf8_char(out)) return false;
        continue;
      }
      if (c != '\\') {
        // The plain ASCII run up to the next quote, escape, control or non-ASCII byte, at
        // once: a byte at a time was most of an event's parse.
        const std::size_t from = pos_;
        while (pos_ < text_.size() && plain(text_[pos_])) ++pos_;
        out.append(text_.data() + from, pos_ - from);
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return fail("unterminated escape");
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            std::uint32_t low = 0;
            if (text_.substr(pos_, 2) != "\\u") return fail("lone surrogate");
            pos_ += 2;
            if (!hex4(low)) return false;
            if (low < 0xDC00 || low > 0xDFFF) return fail("lone surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return fail("lone surrogate");
          }
          append_utf8(cp, out);
          break;
        }
        default:
          return fail("invalid escape");
      }
    }
  }

  bool number(Json& out) {
    const std::size_t start = pos_;
    if (pos_ < text_.size() && text_[pos_] == '-') ++pos_;
    const auto digits = [&] {
      const std::size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (digits() == 0) {
      pos_ = start;
      return fail("unexpected character");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (digits() == 0) return fail("invalid number");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return fail("invalid number");
    }
    const double v = detail::parse_decimal(text_.substr(start, pos_ - start));
    if (!std::isfinite(v)) return fail("number out of range");
    out = Json::make_number(v);
    return true;
  }

  std::string_view text_;
  JsonLimits limits_;
  std::size_t pos_ = 0;
  std::size_t elements_ = 0;
  std::string error_;
};

}  // namespace

const Json* Json::find(std::string_view key) const {
  if (kind_ != Kind::object) return nullptr;
  for (const auto& [name, value] : object_) {
    if (name == key) return &value;
  }
  return nullptr;
}

Result<Json> Json::parse(std::string_view text, const JsonLimits& limits) {
  return Parser(text, limits).run();
}

Json Json::make_bool(bool v) {
  Json j;
  j.kind_ = Kind::boolean;
  j.bool_ = v;
  return j;
}
Json Json::make_number(double v) {
  Json j;
  j.kind_ = Kind::number;
  j.number_ = v;
  return j;
}
Json Json::make_string(std::string v) {
  Json j;
  j.kind_ = Kind::string;
  j.string_ = std::move(v);
  return j;
}
Json Json::make_array(std::vector<Json> v) {
  Json j;
  j.kind_ = Kind::array;
  j.array_ = std::move(v);
  return j;
}
Json Json::make_object(Members v) {
  Json j;
  j.kind_ = Kind::object;
  j.object_ = std::move(v);
  return j;
}

void json_quote(std::string_view s, std::string& out) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 15];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace vitrine
