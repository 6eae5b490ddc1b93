using OpenCvSharp;

namespace UlcAg.Inference.Tests;

/// <summary>
/// Writes a raw H.264 (Annex B) stream without any encoder: baseline profile, every frame an IDR
/// picture whose macroblocks are all I_PCM (ITU-T H.264, 7.3.5: mb_type 25 carries the samples
/// uncompressed). Large, but real H.264 that any decoder must read, and lossless, so the decoded
/// frames can be compared with the source; it checks that the runtime's FFmpeg decodes H.264 when
/// the runtime has no H.264 encoder to make a test clip with.
/// </summary>
internal static class H264PcmWriter
{
    /// <summary>Writes <paramref name="frames"/> (8-bit BGR, all of one size, both sides multiples of 16) to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyList<Mat> frames)
    {
        var (width, height) = (frames[0].Cols, frames[0].Rows);
        if (width % 16 != 0 || height % 16 != 0)
        {
            throw new ArgumentException("width and height must be multiples of 16", nameof(frames));
        }

        using var file = File.Create(path);
        Nal(file, 0x67, Sps(width / 16, height / 16));
        Nal(file, 0x68, Pps());
        for (var i = 0; i < frames.Count; i++)
        {
            Nal(file, 0x65, IdrSlice(frames[i], i % 2));
        }
    }

    // 7.3.2.1.1: baseline profile 66, level 3.0, POC type 2 (output order = decode order), no VUI.
    private static byte[] Sps(int widthMbs, int heightMbs)
    {
        var b = new Bits();
        b.Put(66, 8);
        b.Put(0, 8);
        b.Put(30, 8);
        b.Ue(0); // seq_parameter_set_id
        b.Ue(0); // log2_max_frame_num_minus4
        b.Ue(2); // pic_order_cnt_type
        b.Ue(0); // max_num_ref_frames
        b.Put(0, 1); // gaps_in_frame_num_value_allowed_flag
        b.Ue(widthMbs - 1);
        b.Ue(heightMbs - 1);
        b.Put(1, 1); // frame_mbs_only_flag
        b.Put(1, 1); // direct_8x8_inference_flag
        b.Put(0, 1); // frame_cropping_flag
        b.Put(0, 1); // vui_parameters_present_flag
        return b.Trailing();
    }

    // 7.3.2.2: CAVLC, one slice group, QP 26, no deblocking control.
    private static byte[] Pps()
    {
        var b = new Bits();
        b.Ue(0); // pic_parameter_set_id
        b.Ue(0); // seq_parameter_set_id
        b.Put(0, 1); // entropy_coding_mode_flag
        b.Put(0, 1); // bottom_field_pic_order_in_frame_present_flag
        b.Ue(0); // num_slice_groups_minus1
        b.Ue(0); // num_ref_idx_l0_default_active_minus1
        b.Ue(0); // num_ref_idx_l1_default_active_minus1
        b.Put(0, 1); // weighted_pred_flag
        b.Put(0, 2); // weighted_bipred_idc
        b.Se(0); // pic_init_qp_minus26
        b.Se(0); // pic_init_qs_minus26
        b.Se(0); // chroma_qp_index_offset
        b.Put(0, 1); // deblocking_filter_control_present_flag
        b.Put(0, 1); // constrained_intra_pred_flag
        b.Put(0, 1); // redundant_pic_cnt_present_flag
        return b.Trailing();
    }

    // 7.3.3 slice header of an I slice in an IDR picture, then 7.3.5 one I_PCM macroblock after another.
    private static byte[] IdrSlice(Mat bgr, int idrPicId)
    {
        using var yuv = new Mat();
        Cv2.CvtColor(bgr, yuv, ColorConversionCodes.BGR2YUV_I420);
        var (w, h) = (bgr.Cols, bgr.Rows);
        var planes = new byte[w * h * 3 / 2];
        System.Runtime.InteropServices.Marshal.Copy(yuv.Data, planes, 0, planes.Length);
        var b = new Bits();
        b.Ue(0); // first_mb_in_slice
        b.Ue(7); // slice_type: I, all slices of the picture
        b.Ue(0); // pic_parameter_set_id
        b.Put(0, 4); // frame_num
        b.Ue(idrPicId);
        b.Put(0, 1); // no_output_of_prior_pics_flag
        b.Put(0, 1); // long_term_reference_flag
        b.Se(0); // slice_qp_delta
        var (cb, cr) = (w * h, (w * h) + (w * h / 4));
        for (var my = 0; my < h / 16; my++)
        {
            for (var mx = 0; mx < w / 16; mx++)
            {
                b.Ue(25); // mb_type I_PCM
                b.Align();
                for (var y = 0; y < 16; y++)
                {
                    for (var x = 0; x < 16; x++)
                    {
                        b.Put(planes[(((my * 16) + y) * w) + (mx * 16) + x], 8);
                    }
                }

                foreach (var plane in new[] { cb, cr })
                {
                    for (var y = 0; y < 8; y++)
                    {
                        for (var x = 0; x < 8; x++)
                        {
                            b.Put(planes[plane + ((((my * 8) + y) * (w / 2)) + (mx * 8) + x)], 8);
                        }
                    }
                }
            }
        }

        return b.Trailing();
    }

    // A start code, the NAL header byte, and the payload with emulation prevention (7.4.1: 00 00 0x, x <= 3, gets a 03).
    private static void Nal(Stream stream, byte header, byte[] rbsp)
    {
        stream.Write([0, 0, 0, 1, header]);
        var zeros = 0;
        foreach (var value in rbsp)
        {
            if (zeros == 2 && value <= 3)
            {
                stream.WriteByte(3);
                zeros = 0;
            }

            stream.WriteByte(value);
            zeros = value == 0 ? zeros + 1 : 0;
        }
    }

    private sealed class Bits
    {
        private readonly List<byte> _bytes = [];
        private int _current;
        private int _used;

        public void Put(int value, int count)
        {
            for (var i = count - 1; i >= 0; i--)
            {
                _current = (_current << 1) | ((value >> i) & 1);
                if (++_used == 8)
                {
                    _bytes.Add((byte)_current);
                    (_current, _used) = (0, 0);
                }
            }
        }

        // 9.1: Exp-Golomb, unsigned and signed.
        public void Ue(int value)
        {
            var code = value + 1;
            var length = 31 - int.LeadingZeroCount(code);
            Put(0, length);
            Put(code, length + 1);
        }

        public void Se(int value) => Ue(value > 0 ? (2 * value) - 1 : -2 * value);

        public void Align()
        {
            while (_used != 0)
            {
                Put(0, 1);
            }
        }

        // rbsp_trailing_bits: a one, then zeros to the byte boundary.
        public byte[] Trailing()
        {
            Put(1, 1);
            Align();
            return [.. _bytes];
        }
    }
}
