#pragma once

#include <QImage>
#include <QString>

namespace authrealm {

// A QR code (libqrencode) as an image for a phone camera: black modules on
// white whatever the palette (scanners need the contrast), a quiet zone of
// kQuietZone modules on every side, each module scale×scale pixels drawn
// without smoothing so the edges stay sharp.
class QrCode
{
public:
    static constexpr int kQuietZone = 4;

    // Encodes text (UTF-8, error correction level M). A null image when the
    // text cannot be encoded (too long for any QR version).
    [[nodiscard]] static QImage image(const QString &text, int scale);
    // The symbol's width in modules, without the quiet zone; 0 when it cannot be encoded.
    [[nodiscard]] static int symbolWidth(const QString &text);
};

} // namespace authrealm
