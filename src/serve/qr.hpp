#pragma once
// The served address as a QR code (libqrencode): drawn in the terminal with Unicode half blocks,
// two rows of modules to a line, and as a PNG for --qr-png.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "util/error.hpp"

namespace inkpack {

struct QrCode {
  int width = 0;                   ///< modules per side, without the quiet zone
  std::vector<std::uint8_t> dark;  ///< width * width, row after row; 1 for a dark module
  bool at(int x, int y) const;     ///< dark; false outside the symbol (the quiet zone)
};

/// Light modules around the symbol, as ISO/IEC 18004 requires: without them a camera may not
/// find the code against a terminal's own colour.
constexpr int k_quiet_zone = 4;

/// The text as a QR code, byte mode, error correction level M (15% of the symbol may be lost).
Expected<QrCode> make_qr(std::string_view text);

/// One line per two rows of modules, quiet zone included: "▀" is a dark module over a light
/// one, "▄" the reverse, "█" two dark, " " two light. With `colour`, each line sets black on
/// white (ANSI), so the code reads the same on dark and light terminals.
std::string draw_qr_text(const QrCode& code, bool colour);

/// A grey PNG, `module_pixels` pixels to a module, quiet zone included.
std::string draw_qr_png(const QrCode& code, int module_pixels = 8);

}  // namespace inkpack
