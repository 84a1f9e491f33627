using System.Buffers.Binary;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>Photos of a matter: real images only (by their bytes), 5 MB each, 9 per matter, all or nothing.</summary>
public sealed class PhotoTests : AppTest
{
    const int FiveMegabytes = 5 * 1024 * 1024;

    static readonly byte[] Png = OnePixelPng(0xE6, 0x3C, 0x1E);
    static readonly byte[] Jpeg = JpegLike(600);

    [Fact]
    public async Task A_png_and_a_jpeg_are_saved_and_served_back_byte_for_byte_with_the_type_their_bytes_show()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);

        // The JPEG comes with a generic content type: the server goes by the bytes, not by the claim.
        var response = await resident.PostAsync($"/api/matters/{id}/photos",
            Form(("门口.png", "image/png", Png), ("lamp.jpg", "application/octet-stream", Jpeg)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var added = (await response.JsonAsync()).AsArray();
        Assert.Equal(["门口.png", "lamp.jpg"], added.Select(p => p!["fileName"]!.GetValue<string>()));
        Assert.Equal(["image/png", "image/jpeg"], added.Select(p => p!["contentType"]!.GetValue<string>()));
        Assert.Equal([Png.Length, Jpeg.Length], added.Select(p => p!["size"]!.GetValue<int>()));

        var photos = await PhotosAsync(resident, id);
        Assert.Equal(added.Select(p => p!["id"]!.GetValue<string>()).Order(), photos.Select(p => p["id"]!.GetValue<string>()).Order());
        foreach (var (photo, bytes, type) in new[] { (Photo(photos, "门口.png"), Png, "image/png"), (Photo(photos, "lamp.jpg"), Jpeg, "image/jpeg") })
        {
            Assert.Equal(type, photo["contentType"]!.GetValue<string>());
            var served = await resident.GetAsync(photo["url"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.Equal(type, served.Content.Headers.ContentType?.MediaType);
            Assert.Equal(bytes, await served.Content.ReadAsByteArrayAsync());
        }

        // The grid worker sees them; a resident who may not see the matter may not see its photos.
        var url0 = photos[0]["url"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await (await As("gridworker")).GetAsync(url0)).StatusCode);
        await ProblemAssert.IsProblemAsync(await (await As("owner-xf-2-101")).GetAsync(url0), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await (await As("owner-hp-1-101")).GetAsync(url0), HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public async Task A_photos_url_in_the_matter_is_the_same_as_the_url_its_upload_returned()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        var added = Assert.Single((await (await resident.PostAsync($"/api/matters/{id}/photos", Form(("门口.png", "image/png", Png)))).JsonAsync())
            .AsArray())!;
        var photoId = added["id"]!.GetValue<string>();
        Assert.Equal($"/api/matters/{id}/photos/{photoId}", added["url"]!.GetValue<string>());

        var listed = Assert.Single(await PhotosAsync(resident, id));
        Assert.Equal(photoId, listed["id"]!.GetValue<string>());
        Assert.Equal(added["url"]!.GetValue<string>(), listed["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_text_file_named_png_with_an_image_content_type_is_refused_and_nothing_is_saved()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        Assert.Equal(HttpStatusCode.OK, (await resident.PostAsync($"/api/matters/{id}/photos", Form(("first.png", "image/png", Png)))).StatusCode);
        var before = await PhotosAsync(resident, id);

        var response = await resident.PostAsync($"/api/matters/{id}/photos",
            Form(("x.png", "image/png", Encoding.UTF8.GetBytes("this is not a picture, only text pretending to be one"))));
        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("x.png", problem["errors"]!["photos"]![0]!.GetValue<string>());

        var after = await PhotosAsync(resident, id);
        Assert.Equal(before.Select(p => p["id"]!.GetValue<string>()), after.Select(p => p["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_photo_of_exactly_5_MB_is_accepted_and_one_byte_more_is_refused()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);

        var tooLarge = await resident.PostAsync($"/api/matters/{id}/photos", Form(("big.jpg", "image/jpeg", JpegLike(FiveMegabytes + 1))));
        var problem = await ProblemAssert.IsProblemAsync(tooLarge, HttpStatusCode.BadRequest, "validation");
        Assert.Contains("big.jpg", problem["errors"]!["photos"]![0]!.GetValue<string>());
        Assert.Empty(await PhotosAsync(resident, id));

        var atLimit = await resident.PostAsync($"/api/matters/{id}/photos", Form(("limit.jpg", "image/jpeg", JpegLike(FiveMegabytes))));
        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        Assert.Equal(FiveMegabytes, Assert.Single(await PhotosAsync(resident, id))["size"]!.GetValue<int>());
    }

    [Fact]
    public async Task Ten_photos_in_one_batch_are_refused_entirely()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        var ten = Enumerable.Range(1, 10).Select(n => ($"{n}.png", "image/png", Png)).ToArray();

        var problem = await ProblemAssert.IsProblemAsync(await resident.PostAsync($"/api/matters/{id}/photos", Form(ten)),
            HttpStatusCode.BadRequest, "validation");
        Assert.NotEmpty(problem["errors"]!["photos"]!.AsArray());
        Assert.Empty(await PhotosAsync(resident, id));
    }

    [Fact]
    public async Task Nine_photos_fill_a_matter_and_a_tenth_is_refused()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        var nine = Enumerable.Range(1, 9).Select(n => ($"{n}.png", "image/png", Png)).ToArray();
        Assert.Equal(HttpStatusCode.OK, (await resident.PostAsync($"/api/matters/{id}/photos", Form(nine))).StatusCode);

        await ProblemAssert.IsProblemAsync(await resident.PostAsync($"/api/matters/{id}/photos", Form(("10.jpg", "image/jpeg", Jpeg))),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal(9, (await PhotosAsync(resident, id)).Count);
    }

    [Fact]
    public async Task A_batch_with_one_good_and_one_bad_file_saves_nothing()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);

        var problem = await ProblemAssert.IsProblemAsync(await resident.PostAsync($"/api/matters/{id}/photos",
            Form(("good.png", "image/png", Png), ("bad.jpg", "image/jpeg", Encoding.UTF8.GetBytes("GIF89a, not a jpeg")))),
            HttpStatusCode.BadRequest, "validation");
        var messages = problem["errors"]!["photos"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains(messages, m => m.Contains("bad.jpg"));
        Assert.DoesNotContain(messages, m => m.Contains("good.png"));
        Assert.Empty(await PhotosAsync(resident, id));
    }

    [Theory]
    [InlineData("owner-xf-2-101", HttpStatusCode.Forbidden, "notRaiser")] // sees the public matter, but did not raise it
    [InlineData("owner-hp-1-101", HttpStatusCode.NotFound, "notFound")]
    [InlineData("hp-gridworker", HttpStatusCode.NotFound, "notFound")]
    [InlineData("gridworker2", HttpStatusCode.NotFound, "notFound")]
    [InlineData("designer", HttpStatusCode.NotFound, "notFound")]
    public async Task Someone_who_neither_raised_the_matter_nor_works_on_it_cannot_add_photos(string userName, HttpStatusCode status, string code)
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        await CompleteAsync(await As("gridworker"), id, "minor", new { verified = true, note = "网格内解决" }); // now public

        var response = await (await As(userName)).PostAsync($"/api/matters/{id}/photos", Form(("p.png", "image/png", Png)));
        await ProblemAssert.IsProblemAsync(response, status, code);
        Assert.Empty(await PhotosAsync(resident, id));
    }

    [Fact]
    public async Task The_grid_worker_of_the_matters_grid_can_add_photos_to_it()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        var response = await (await As("gridworker")).PostAsync($"/api/matters/{id}/photos", Form(("现场.jpg", "image/jpeg", Jpeg)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("现场.jpg", Assert.Single(await PhotosAsync(resident, id))["fileName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_closed_matter_takes_no_more_photos()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        await CompleteAsync(await As("gridworker"), id, "private", new { verified = true, note = "自家事务" });
        Assert.Equal("closed", await StepOfAsync(resident, id));

        await ProblemAssert.IsProblemAsync(await resident.PostAsync($"/api/matters/{id}/photos", Form(("late.png", "image/png", Png))),
            HttpStatusCode.Conflict, "matterClosed");
        Assert.Empty(await PhotosAsync(resident, id));
    }

    [Theory]
    [InlineData("en-US")]
    [InlineData(null)]
    public async Task An_upload_that_is_not_a_multipart_form_is_refused_with_advice_to_send_one(string? language)
    {
        var resident = await As("resident", language);
        var id = await RaiseIdAsync(resident);
        var response = await resident.PostAsJsonAsync($"/api/matters/{id}/photos", new { photos = Convert.ToBase64String(Png) });
        var detail = (await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType,
            "unsupportedMediaType"))["detail"]!.GetValue<string>();
        // The endpoint takes multipart/form-data: telling the client to send JSON (what it just did) misleads it.
        Assert.Contains("multipart", detail, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await PhotosAsync(resident, id));
    }

    static async Task<string> RaiseIdAsync(HttpClient client) => (await RaiseAsync(client))["id"]!.GetValue<string>();

    static async Task<List<JsonNode>> PhotosAsync(HttpClient client, string matterId) =>
        (await client.GetJsonAsync($"/api/matters/{matterId}"))["photos"]!.AsArray().Select(p => p!).ToList();

    static JsonNode Photo(List<JsonNode> photos, string fileName) => photos.Single(p => p["fileName"]!.GetValue<string>() == fileName);

    /// <summary>
    /// A JPEG as a phone writes it: JFIF, then EXIF whose GPS directory holds the latitude and longitude of the home
    /// (31°13'N 121°28'E), XMP, a comment and a Photoshop block, then the picture itself (quantisation table, frame, scan).
    /// </summary>
    static byte[] JpegWithGps()
    {
        var jpeg = new MemoryStream();
        void Segment(byte marker, byte[] data)
        {
            jpeg.Write([0xFF, marker, (byte)((data.Length + 2) >> 8), (byte)(data.Length + 2)]);
            jpeg.Write(data);
        }
        jpeg.Write([0xFF, 0xD8]);
        Segment(0xE0, [.. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
        // TIFF, big-endian: IFD0 with one entry, the GPS IFD pointer (0x8825); the GPS IFD with GPSLatitudeRef, GPSLatitude, GPSLongitudeRef,
        // GPSLongitude.
        var tiff = new MemoryStream();
        void U16(int v) => tiff.Write([(byte)(v >> 8), (byte)v]);
        void U32(int v) => tiff.Write([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        tiff.Write("MM"u8); U16(42); U32(8);
        U16(1); U16(0x8825); U16(4); U32(1); U32(26); U32(0);                       // IFD0 → GPS IFD at 26
        U16(4);
        U16(1); U16(2); U32(2); tiff.Write("N\0\0\0"u8);                          // GPSLatitudeRef "N"
        U16(2); U16(5); U32(3); U32(80);                                            // GPSLatitude at 80
        U16(3); U16(2); U32(2); tiff.Write("E\0\0\0"u8);                          // GPSLongitudeRef "E"
        U16(4); U16(5); U32(3); U32(104);                                           // GPSLongitude at 104
        U32(0);
        foreach (var (num, den) in new[] { (31, 1), (13, 1), (4512, 100), (121, 1), (28, 1), (3021, 100) }) { U32(num); U32(den); }
        Segment(0xE1, [.. "Exif\0\0"u8, .. tiff.ToArray()]);
        Segment(0xE1, [.. "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>31,13.752N</exif:GPSLatitude></x:xmpmeta>"u8]);
        Segment(0xFE, "幸福里3号楼402"u8.ToArray());
        Segment(0xED, [.. "Photoshop 3.0\0"u8, 1, 2, 3]);
        Segment(0xDB, [0, .. Enumerable.Repeat((byte)1, 64)]);                     // quantisation table
        Segment(0xC0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0]);                              // 1×1, one component
        Segment(0xDA, [1, 1, 0, 0, 0x3F, 0]);                                       // start of scan
        jpeg.Write([0x12, 0x34, 0x56, 0xFF, 0x00, 0x78, 0xFF, 0xD9]);               // entropy-coded data, end of image
        return jpeg.ToArray();
    }

    [Fact]
    public async Task A_photo_is_stored_without_its_EXIF_GPS_position_or_other_metadata_and_its_picture_intact()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        var original = JpegWithGps();
        Assert.True(original.AsSpan().IndexOf("Exif"u8) > 0); // the test's photo does carry them

        var pngWithText = OnePixelPngWithText();
        var response = await resident.PostAsync($"/api/matters/{id}/photos",
            Form(("home.jpg", "image/jpeg", original), ("home.png", "image/png", pngWithText)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var photos = await PhotosAsync(resident, id);
        var stored = await (await resident.GetAsync(Photo(photos, "home.jpg")["url"]!.GetValue<string>())).Content.ReadAsByteArrayAsync();

        foreach (var trace in new[]
            {
                "Exif"u8.ToArray(), "xmpmeta"u8.ToArray(), "GPS"u8.ToArray(), "Photoshop"u8.ToArray(), "幸福里"u8.ToArray(),
                [0x00, 0x00, 0x11, 0xA0] /* 4512 */
            })
            Assert.True(stored.AsSpan().IndexOf(trace) < 0, $"the stored photo still holds {Convert.ToHexString(trace)}");
        // What shows the picture is kept byte for byte: SOI, JFIF, and everything from the quantisation table on.
        var picture = original.AsSpan(original.AsSpan().IndexOf(new byte[] { 0xFF, 0xDB }));
        Assert.True(stored.AsSpan().StartsWith(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }));
        Assert.True(stored.AsSpan().EndsWith(picture), "the picture's own segments changed");
        Assert.Equal(stored.Length, Photo(photos, "home.jpg")["size"]!.GetValue<int>());

        var storedPng = await (await resident.GetAsync(Photo(photos, "home.png")["url"]!.GetValue<string>())).Content.ReadAsByteArrayAsync();
        Assert.True(storedPng.AsSpan().IndexOf("tEXt"u8) < 0 && storedPng.AsSpan().IndexOf("eXIf"u8) < 0
            && storedPng.AsSpan().IndexOf("31.2293"u8) < 0);
        Assert.Equal(Png, storedPng); // the same picture as a PNG that never had them
    }

    [Fact]
    public async Task A_WebP_photo_is_stored_without_its_EXIF_and_XMP_chunks_and_says_it_has_none()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        // A 1×1 lossless picture in the extended format, as phones write it: VP8X (flags: EXIF and XMP), the picture, EXIF, XMP.
        var picture = Convert.FromBase64String("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")[12..]; // its VP8L chunk
        byte[] vp8x = [.. "VP8X"u8, 10, 0, 0, 0, 0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        byte[] exif = [.. "EXIF"u8, 9, 0, 0, 0, .. "MM\0*GPS31"u8, 0]; // odd length: padded
        byte[] xmp = [.. "XMP "u8, 8, 0, 0, 0, .. "xmpmeta!"u8];
        byte[] body = [.. "WEBP"u8, .. vp8x, .. picture, .. exif, .. xmp];
        byte[] webp = [.. "RIFF"u8, .. BitConverter.GetBytes(body.Length), .. body];

        var response = await resident.PostAsync($"/api/matters/{id}/photos", Form(("home.webp", "image/webp", webp)));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var stored = await (await resident.GetAsync(Photo(await PhotosAsync(resident, id), "home.webp")["url"]!.GetValue<string>()))
            .Content.ReadAsByteArrayAsync();

        byte[] expectedBody = [.. "WEBP"u8, .. vp8x[..8], 0, .. vp8x[9..], .. picture];
        Assert.Equal([.. "RIFF"u8, .. BitConverter.GetBytes(expectedBody.Length), .. expectedBody], stored);
    }

    /// <summary>The 1×1 PNG with a tEXt chunk and an eXIf chunk before its pixels, as some editors write.</summary>
    static byte[] OnePixelPngWithText()
    {
        var png = Png;
        using var result = new MemoryStream();
        var afterHeader = 8 + 12 + 13; // signature, IHDR
        result.Write(png, 0, afterHeader);
        Chunk(result, "tEXt", "Location\0031.2293,121.4758"u8.ToArray());
        Chunk(result, "eXIf", [.. "MM\0*"u8, 0, 0, 0, 8, 0, 0]);
        result.Write(png, afterHeader, png.Length - afterHeader);
        return result.ToArray();
    }

    [Theory]
    [InlineData("..\\..\\windows\\evil\u0000<script>alert(1)</script>.jpg", "script.jpg")] // "</" ends a path part too
    [InlineData("/etc/passwd", "passwd")]
    [InlineData("门口\u202Egpj.exe", "门口gpj.exe")]
    [InlineData("\u0000\u0001", "file.png")]
    [InlineData("3号楼门口路灯不亮 2026-11-23.png", "3号楼门口路灯不亮 2026-11-23.png")]
    public async Task Upload_names_are_stored_without_paths_control_characters_or_markup_and_keep_their_Chinese(string sent, string stored)
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        // Written by hand: HttpClient would not send a NUL in a header. filename* carries the name as UTF-8, percent-encoded.
        var boundary = "b" + Guid.NewGuid().ToString("N");
        var body = new MemoryStream();
        body.Write(Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"x.png\"; "
            + $"filename*=UTF-8''{Uri.EscapeDataString(sent)}\r\nContent-Type: image/png\r\n\r\n"));
        body.Write(Png);
        body.Write(Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n"));
        var content = new ByteArrayContent(body.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        var response = await resident.PostAsync($"/api/matters/{id}/photos", content);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(stored, Assert.Single((await response.JsonAsync()).AsArray())!["fileName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_very_long_upload_name_is_cut_keeping_its_extension()
    {
        var resident = await As("resident");
        var id = await RaiseIdAsync(resident);
        var added = (await (await resident.PostAsync($"/api/matters/{id}/photos", Form((new string('长', 300) + ".png", "image/png", Png))))
            .JsonAsync()).AsArray();
        var name = added[0]!["fileName"]!.GetValue<string>();
        Assert.True(name.Length <= 100 && name.EndsWith(".png", StringComparison.Ordinal) && name.StartsWith("长长", StringComparison.Ordinal), name);
    }

    static MultipartFormDataContent Form(params (string FileName, string ContentType, byte[] Bytes)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (fileName, contentType, bytes) in files)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(part, "photos", fileName);
        }
        return form;
    }

    /// <summary>A valid 1×1 RGB PNG: signature, IHDR, one zlib-compressed scanline in IDAT, IEND, each chunk with its CRC.</summary>
    static byte[] OnePixelPng(byte red, byte green, byte blue)
    {
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(0), 1); // width
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 1); // height
        header[8] = 8; // bits per sample
        header[9] = 2; // truecolour; compression, filter and interlace stay 0
        Chunk(png, "IHDR", header);
        using (var pixels = new MemoryStream())
        {
            using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
                zlib.Write([0, red, green, blue]); // filter type 0, then the pixel
            Chunk(png, "IDAT", pixels.ToArray());
        }
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        png.Write(number);
    }

    static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>
    /// Bytes that begin as a JFIF JPEG does (SOI, APP0 "JFIF") and end with EOI, padded to <paramref name="length"/>:
    /// what the server checks is the signature, FF D8 FF.
    /// </summary>
    static byte[] JpegLike(int length)
    {
        byte[] head = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00,
            0x01, 0x00, 0x01, 0x00, 0x00];
        var bytes = new byte[length];
        head.CopyTo(bytes, 0);
        for (var i = head.Length; i < length - 2; i++) bytes[i] = (byte)(i * 31 % 251);
        bytes[^2] = 0xFF;
        bytes[^1] = 0xD9;
        return bytes;
    }
}
