#include "serve/qr.hpp"

#include <qrencode.h>

#include <memory>

#include "image/codec.hpp"

namespace inkpack {

bool QrCode::at(int x, int y) const {
  return x >= 0 && y >= 0 && x < width && y < width && dark[static_cast<std::size_t>(y) * width + x];
}

Expected<QrCode> make_qr(std::string_view text) {
  const std::string terminated(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> encoded(
      QRcode_encodeString8bit(terminated.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!encoded) return fail("cannot make a QR code of " + terminated + ": too long for one");
  QrCode code;
  code.width = encoded->width;
  code.dark.resize(static_cast<std::size_t>(code.width) * code.width);
  for (std::size_t i = 0; i < code.dark.size(); ++i) code.dark[i] = encoded->data[i] & 1;  // bit 0: dark
  return code;
}

std::string draw_qr_text(const QrCode& code, bool colour) {
  static constexpr const char* k_cells[] = {" ", "\u2584", "\u2580", "\u2588"};  // [top * 2 + bottom]
  std::string out;
  for (int y = -k_quiet_zone; y < code.width + k_quiet_zone; y += 2) {
    if (colour) out += "\033[30;107m";
    for (int x = -k_quiet_zone; x < code.width + k_quiet_zone; ++x)
      out += k_cells[code.at(x, y) * 2 + code.at(x, y + 1)];
    if (colour) out += "\033[0m";
    out += '\n';
  }
  return out;
}

std::string draw_qr_png(const QrCode& code, int module_pixels) {
  const int side = (code.width + 2 * k_quiet_zone) * module_pixels;
  std::vector<unsigned char> grey(static_cast<std::size_t>(side) * side);
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x)
      grey[static_cast<std::size_t>(y) * side + x] =
          code.at(x / module_pixels - k_quiet_zone, y / module_pixels - k_quiet_zone) ? 0 : 255;
  return encode_png(PixelView(grey.data(), side, side, 1));
}

}  // namespace inkpack
