using System.Buffers.Binary;
using System.Text;
using Handoff.Domain.Model;

namespace Handoff.Domain.Evaluation;

/// <summary>
/// The stored form of an <see cref="AppraisedWindow"/>: the facts of its events, oldest first, in one array of bytes,
/// written from the window's values and words without building an object per event. A checkpoint stores a contact's
/// window this way, so writing it costs one array rather than an event, its strings and the serializer's bookkeeping
/// of each (measured in docs/ingest-durability.md). The appraisal is not stored: a window read back is appraised again,
/// under the scoring options of the reader.
/// </summary>
/// <remarks>
/// The layout, little-endian: a format byte (1), the number of events (7-bit varint), then per event its occurrence
/// (ticks, offset minutes), type, channel, stage, phase (a byte each, 0 for none: every enum starts at 1), a flags byte
/// (pricing page, has appointment), the appointment when it has one (ticks, offset minutes), and its id, text, feature
/// and owner, each as a varint of its UTF-8 length plus one (0 for none) and the bytes. Words come from protobuf
/// strings, which are valid UTF-16, so UTF-8 gives them back as they were, as the Orleans codec of a string does.
/// </remarks>
public static class PackedWindow
{
    private const byte Format = 1;
    private const byte PricingPageFlag = 1;
    private const byte AppointmentFlag = 2;

    /// <summary>Ticks, offset minutes.</summary>
    private const int TimeSize = sizeof(long) + sizeof(short);

    /// <summary>The occurrence, four enum bytes and the flags.</summary>
    private const int FixedSize = TimeSize + 4 + 1;

    public static byte[] Pack(AppraisedWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var packed = new byte[PackedSize(window)];
        var at = 0;
        packed[at++] = Format;
        at += WriteVarint(packed.AsSpan(at), (uint)window.Count);
        for (var i = 0; i < window.Count; i++)
        {
            ref readonly var e = ref window[i];
            WriteTime(packed.AsSpan(at), e.OccurredAt);
            at += TimeSize;
            packed[at++] = (byte)e.Type;
            packed[at++] = (byte)(e.Channel is { } channel ? (int)channel : 0);
            packed[at++] = (byte)(e.Stage is { } stage ? (int)stage : 0);
            packed[at++] = (byte)(e.Phase is { } phase ? (int)phase : 0);
            packed[at++] = (byte)((e.PricingPage ? PricingPageFlag : 0) | (e.AppointmentTime is null ? 0 : AppointmentFlag));
            if (e.AppointmentTime is { } appointment)
            {
                WriteTime(packed.AsSpan(at), appointment);
                at += TimeSize;
            }

            var words = window.WordsOf(e);
            foreach (var length in (ReadOnlySpan<int>)[e.IdLength, e.TextLength, e.FeatureLength, e.OwnerLength])
            {
                at += WriteWord(packed.AsSpan(at), words, length);
                words = words[WindowEvent.Size(length)..];
            }
        }

        return packed;
    }

    /// <summary>The events of a window stored by <see cref="Pack"/>, oldest first.</summary>
    /// <exception cref="FormatException">The bytes are not a window in this format.</exception>
    public static List<EngagementEvent> Unpack(ReadOnlySpan<byte> packed)
    {
        var reader = new Reader(packed);
        if (reader.Byte() != Format)
        {
            throw new FormatException("The stored event window is in a format this version does not know.");
        }

        var count = reader.Varint();
        var events = new List<EngagementEvent>(Math.Min(count, packed.Length / FixedSize));
        for (var i = 0; i < count; i++)
        {
            var occurredAt = reader.Time();
            var type = (EventType)reader.Byte();
            var channel = reader.Byte();
            var stage = reader.Byte();
            var phase = reader.Byte();
            var flags = reader.Byte();
            DateTimeOffset? appointment = (flags & AppointmentFlag) != 0 ? reader.Time() : null;
            events.Add(new EngagementEvent
            {
                OccurredAt = occurredAt,
                Type = type,
                Channel = channel == 0 ? null : (Channel)channel,
                Stage = stage == 0 ? null : (LifecycleStage)stage,
                Phase = phase == 0 ? null : (PipelinePhase)phase,
                PricingPage = (flags & PricingPageFlag) != 0,
                AppointmentTime = appointment,
                EventId = reader.Word() ?? throw new FormatException("A stored event has no id."),
                Text = reader.Word(),
                Feature = reader.Word(),
                OwnerUserId = reader.Word(),
            });
        }

        return reader.AtEnd ? events : throw new FormatException("The stored event window has bytes after its last event.");
    }

    private static int PackedSize(AppraisedWindow window)
    {
        var size = 1 + VarintSize((uint)window.Count);
        for (var i = 0; i < window.Count; i++)
        {
            ref readonly var e = ref window[i];
            size += FixedSize + (e.AppointmentTime is null ? 0 : TimeSize);
            var words = window.WordsOf(e);
            foreach (var length in (ReadOnlySpan<int>)[e.IdLength, e.TextLength, e.FeatureLength, e.OwnerLength])
            {
                var bytes = length == WindowEvent.NoWord ? 0 : Encoding.UTF8.GetByteCount(words[..length]);
                size += VarintSize((uint)(length == WindowEvent.NoWord ? 0 : bytes + 1)) + bytes;
                words = words[WindowEvent.Size(length)..];
            }
        }

        return size;
    }

    private static int WriteWord(Span<byte> to, ReadOnlySpan<char> words, int length)
    {
        if (length == WindowEvent.NoWord)
        {
            return WriteVarint(to, 0);
        }

        var word = words[..length];
        var header = WriteVarint(to, (uint)Encoding.UTF8.GetByteCount(word) + 1);
        return header + Encoding.UTF8.GetBytes(word, to[header..]);
    }

    private static void WriteTime(Span<byte> to, DateTimeOffset time)
    {
        BinaryPrimitives.WriteInt64LittleEndian(to, time.Ticks);
        BinaryPrimitives.WriteInt16LittleEndian(to[sizeof(long)..], (short)time.TotalOffsetMinutes);
    }

    private static int WriteVarint(Span<byte> to, uint value)
    {
        var at = 0;
        for (; value >= 0x80; value >>= 7)
        {
            to[at++] = (byte)(value | 0x80);
        }

        to[at++] = (byte)value;
        return at;
    }

    private static int VarintSize(uint value)
    {
        var size = 1;
        for (; value >= 0x80; value >>= 7)
        {
            size++;
        }

        return size;
    }

    /// <summary>Reads the layout front to back; anything short or out of range is a <see cref="FormatException"/>.</summary>
    private ref struct Reader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> bytes = bytes;
        private int at;

        public readonly bool AtEnd => at == bytes.Length;

        public byte Byte() => Take(1)[0];

        public DateTimeOffset Time()
        {
            var span = Take(TimeSize);
            var ticks = BinaryPrimitives.ReadInt64LittleEndian(span);
            var offset = BinaryPrimitives.ReadInt16LittleEndian(span[sizeof(long)..]);
            try
            {
                return new DateTimeOffset(ticks, TimeSpan.FromMinutes(offset));
            }
            catch (ArgumentException e)
            {
                throw new FormatException("A stored event's time is out of range.", e);
            }
        }

        public int Varint()
        {
            var value = 0u;
            for (var shift = 0; shift < 32; shift += 7)
            {
                var b = Byte();
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value <= int.MaxValue ? (int)value : throw new FormatException("A stored length is out of range.");
                }
            }

            throw new FormatException("A stored length is out of range.");
        }

        public string? Word()
        {
            var length = Varint();
            return length == 0 ? null : Encoding.UTF8.GetString(Take(length - 1));
        }

        private ReadOnlySpan<byte> Take(int length)
        {
            if (length > bytes.Length - at)
            {
                throw new FormatException("The stored event window ends in the middle of an event.");
            }

            var taken = bytes.Slice(at, length);
            at += length;
            return taken;
        }
    }
}
