#include "QrCode.h"

#include <qrencode.h>

#include <memory>

namespace authrealm {

namespace {
struct QrFree
{
    void operator()(QRcode *code) const { QRcode_free(code); }
};
using QrPtr = std::unique_ptr<QRcode, QrFree>;

QrPtr encode(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    // Version 0: the smallest that fits; case-sensitive 8-bit mode keeps the URI as is.
    return QrPtr(QRcode_encodeString(utf8.constData(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
}
} // namespace

int QrCode::symbolWidth(const QString &text)
{
    const QrPtr code = encode(text);
    return code ? code->width : 0;
}

QImage QrCode::image(const QString &text, int scale)
{
    const QrPtr code = encode(text);
    if (!code || scale < 1)
        return {};
    const int side = code->width + 2 * kQuietZone;
    QImage modules(side, side, QImage::Format_Grayscale8);
    modules.fill(Qt::white);
    for (int y = 0; y < code->width; ++y) {
        uchar *line = modules.scanLine(y + kQuietZone);
        for (int x = 0; x < code->width; ++x) {
            // Bit 0 of each byte: the module is dark.
            if (code->data[y * code->width + x] & 1)
                line[x + kQuietZone] = 0;
        }
    }
    return modules.scaled(side * scale, side * scale, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}

} // namespace authrealm
