using System.Reflection;
using System.Text.Json;
using Handoff.Domain.Evaluation;
using Handoff.Domain.Model;
using Handoff.Domain.Scoring;
using Handoff.Grains.Contacts;
using Handoff.Grains.Handoffs;
using Handoff.Grains.Notifications;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Serialization.Invocation;

namespace Handoff.Grains.Tests.Storage;

/// <summary>
/// The bytes a contact's state and a journaled event are stored as, held here as written by the release that shipped
/// them: whatever moves the stored types (another namespace, assembly or class) must still read these bytes to the
/// same values and write them back unchanged. A field retired since is skipped: those bytes must still read to the
/// same values. The storage and the journals both use Orleans' binary serializer.
/// </summary>
public sealed class StoredContactFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private const string StoredEventBytes =
        "IOhAC2V2dC0xCQMRIYAAULizEUrfCIEAAAAAAAAAAOAJAwlBKUNhbiBzb21lb25lIGNhbGwgbWU/AQMhgADgqqHrSt8IgQAAAAAAAAAA4EERV2ViaW5hcnMJAw0JAxFBD293bmVyLTHBAeA=";

    /// <summary>
    /// A contact's state as the release that shipped it wrote it, with field 18 (the dedupe memory as whole event ids,
    /// since retired): it must still read, the field skipped.
    /// </summary>
    private const string StoredStateBytesWithRetiredField18 =
        "IAADQRdCcmFuZG9uIExlZUEPb3duZXItMQkDDQkDEQEBIehAC3JlcC0xIYAAZgSbIkrfCIEAAAAAAAAAAOBBFW9uIGhvbGlkYXngAQMhAAMh6E" +
        "ALZXZ0LTEJAxEhgABQuLMRSt8IgQAAAAAAAAAA4AkDCUEpQ2FuIHNvbWVvbmUgY2FsbCBtZT8BAyGAAOCqoetK3wiBAAAAAAAAAADgQRFXZWJp" +
        "bmFycwkDDQkDEcEJIYAAuHwVGkrfCIEAAAAAAAAAAODg4CHoADoCCQMFATEJAwkJAwkxAcXF8xVzU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaW" +
        "MuTGlzdGAxW1toYW5kb2ZmLlJlYXNvblJlY29yZF1dAAMh6AgDDTEBw9luPk1SZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1tzdHJpbmdd" +
        "XQADQSVhc2tlZCBmb3IgYSBwZXJzb27gIYAAIEF3IkrfCIEAAAAAAAAAAODg4CGAAFC4sxFK3wiBAAAAAAAAAADgAQUBJeAh6EANY2FyZC0xAQ" +
        "lBIVNJIEh1bWFuIEhhbmRvZmZBJ0Fza2VkIGZvciBhIHBlcnNvbi7ZA1UBOgIJAwUJAxEJAw0JAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGA" +
        "AH4RKiNK3wiBAAAAAAAAAADgIYAAfhEqI0rfCIEAAAAAAAAAAODBEzEBH24g6mlSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1toYW5kb2" +
        "ZmLkFjdGlvblJlY29yZF1dAAUh6AgDCcETIYAAZgSbIkrfCIEAAAAAAAAAAODgIOgIAwXBEyGAAH4RKiNK3wiBAAAAAAAAAADg4OAhgAA4TgYj" +
        "St8IgQAAAAAAAAAA4CGAAGYEmyJK3wiBAAAAAAAAAADg4CHoCAMFwQngQRVjYXJkLTE6MTozMQFqWLCbrVN5c3RlbS5Db2xsZWN0aW9ucy5HZW" +
        "5lcmljLkxpc3RgMVtbSGFuZG9mZi5Eb21haW4uTW9kZWwuSGFuZG9mZlJlYXNvbixIYW5kb2ZmLkRvbWFpbl1dAAMJAw3gIYAAfhEqI0rfCIEA" +
        "AAAAAAAAAOAhAAMh6AANCQMNIYAAfhEqI0rfCIEAAAAAAAAAAODBE8F1AQlBS0NhcmQgcmVzb2x2ZWQ6IFNJIGF1dG9tYXRpb24gcmVzdW1lZC" +
        "7g4AENIQAFIehAB20tMQkDBQkDBUEZRm9sbG93aW5nIHVwQQVIaQkDCQkDBSGAACBBdyJK3wiBAAAAAAAAAADgIYAAiAXZKkrfCIEAAAAAAAAA" +
        "AODBAcET4CDoQAdtLTIJAwkJAwlBAUELSGVsbG8JAw3BASGAACBBdyJK3wiBAAAAAAAAAADgIYAAIEF3IkrfCIEAAAAAAAAAAOAhgACsx74iSt" +
        "8IgQAAAAAAAAAA4MFCAuDgIeAhAA0xASkMJpI3aGFuZG9mZi5EZWxpdmVyTm90aWZpY2F0aW9u6OjoIOgIAwXBCeAh6MDNCQMFCQMJQQdjLTHB" +
        "B8F1AQlBV1NJIEh1bWFuIEhhbmRvZmY6IEJyYW5kb24gTGVlIG5lZWRzIHlvdSBub3fBezEBUxbB+6NSZWFkT25seUxpc3RJbnRlcmZhY2VDb2" +
        "RlY2AxW1tIYW5kb2ZmLkRvbWFpbi5Nb2RlbC5IYW5kb2ZmUmVhc29uLEhhbmRvZmYuRG9tYWluXV0AAwkDDeAhgAAgQXciSt8IgQAAAAAAAAAA" +
        "4ODgMAF85r/VN2hhbmRvZmYuUmVzb2x2ZU5vdGlmaWNhdGlvbujo6CDoCAMNwUIC4MF1CQMFIYAAfhEqI0rfCIEAAAAAAAAAAODgMAGshxz5NW" +
        "hhbmRvZmYuSW5kZXhBY3RpdmVIYW5kb2Zm6OjoIOjApgLBB8EJwXUBCTkNAAMJAw3gAToCIYAAIEF3IkrfCIEAAAAAAAAAAODg4DABHnki5S1o" +
        "YW5kb2ZmLlVuaW5kZXhIYW5kb2Zm6OjowKYCwXXgMAE+yFxQNWhhbmRvZmYuU2NoZWR1bGVFc2NhbGF0aW9u6OjowHUhgADAUv5DSt8IgQAAAA" +
        "AAAAAA4OAwAXAPmbYxaGFuZG9mZi5DYW5jZWxFc2NhbGF0aW9u6OjowHXg4CGAAOAD+MZH3wiBAAAAAAAAAADgIYAAfhEqI0rfCIEAAAAAAAAA" +
        "AOAhgACgbSKQSN8IgQAAAAAAAAAA4CGAAGDXTFlJ3wiBAAAAAAAAAADgIYAA4AP4xkffCIEAAAAAAAAAAOABBcF1IYAAxNRNI0rfCIEAAAAAAA" +
        "AAAOAhAQOBJSMihOSc8suAAFC4sxFK3wjg4A==";

    /// <summary>The same state as the release before issue #15 wrote it: a card without fact sheet, summary writer and time.</summary>
    private const string StoredStateBytesBeforeFactSheets =
        "IAADQRdCcmFuZG9uIExlZUEPb3duZXItMQkDDQkDEQEBIehAC3JlcC0xIYAAZgSbIkrfCIEAAAAAAAAAAOBBFW9uIGhvbGlkYXngAQMhAAMh6EAL" +
        "ZXZ0LTEJAxEhgABQuLMRSt8IgQAAAAAAAAAA4AkDCUEpQ2FuIHNvbWVvbmUgY2FsbCBtZT8BAyGAAOCqoetK3wiBAAAAAAAAAADgQRFXZWJpbmFy" +
        "cwkDDQkDEcEJIYAAuHwVGkrfCIEAAAAAAAAAAODg4CHoADoCCQMFATEJAwkJAwkxAcXF8xVzU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlz" +
        "dGAxW1toYW5kb2ZmLlJlYXNvblJlY29yZF1dAAMh6AgDDTEBw9luPk1SZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1tzdHJpbmddXQADQSVh" +
        "c2tlZCBmb3IgYSBwZXJzb27gIYAAIEF3IkrfCIEAAAAAAAAAAODg4CGAAFC4sxFK3wiBAAAAAAAAAADgAQUBJeAh6EANY2FyZC0xAQlBIVNJIEh1" +
        "bWFuIEhhbmRvZmZBJ0Fza2VkIGZvciBhIHBlcnNvbi7ZA1UBOgIJAwUJAxEJAw0JAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGAAH4RKiNK3wiB" +
        "AAAAAAAAAADgIYAAfhEqI0rfCIEAAAAAAAAAAODBEzEBH24g6mlSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1toYW5kb2ZmLkFjdGlvblJl" +
        "Y29yZF1dAAUh6AgDCcETIYAAZgSbIkrfCIEAAAAAAAAAAODgIOgIAwXBEyGAAH4RKiNK3wiBAAAAAAAAAADg4OAhgAA4TgYjSt8IgQAAAAAAAAAA" +
        "4CGAAGYEmyJK3wiBAAAAAAAAAADg4CHoCAMFwQngQRVjYXJkLTE6MTozMQFqWLCbrVN5c3RlbS5Db2xsZWN0aW9ucy5HZW5lcmljLkxpc3RgMVtb" +
        "SGFuZG9mZi5Eb21haW4uTW9kZWwuSGFuZG9mZlJlYXNvbixIYW5kb2ZmLkRvbWFpbl1dAAMJAw3gIYAAfhEqI0rfCIEAAAAAAAAAAOAhAAMh6AAN" +
        "CQMNIYAAfhEqI0rfCIEAAAAAAAAAAODBE8F1AQlBS0NhcmQgcmVzb2x2ZWQ6IFNJIGF1dG9tYXRpb24gcmVzdW1lZC7g4AENIQAFIehAB20tMQkD" +
        "BQkDBUEZRm9sbG93aW5nIHVwQQVIaQkDCQkDBSGAACBBdyJK3wiBAAAAAAAAAADgIYAAiAXZKkrfCIEAAAAAAAAAAODBAcET4CDoQAdtLTIJAwkJ" +
        "AwlBAUELSGVsbG8JAw3BASGAACBBdyJK3wiBAAAAAAAAAADgIYAAIEF3IkrfCIEAAAAAAAAAAOAhgACsx74iSt8IgQAAAAAAAAAA4MFCAuDgIgAN" +
        "MQEpDCaSN2hhbmRvZmYuRGVsaXZlck5vdGlmaWNhdGlvbujo6CDoCAMFwQngIejAzQkDBQkDCUEHYy0xwQfBdQEJQVdTSSBIdW1hbiBIYW5kb2Zm" +
        "OiBCcmFuZG9uIExlZSBuZWVkcyB5b3Ugbm93wXsxAVMWwfujUmVhZE9ubHlMaXN0SW50ZXJmYWNlQ29kZWNgMVtbSGFuZG9mZi5Eb21haW4uTW9k" +
        "ZWwuSGFuZG9mZlJlYXNvbixIYW5kb2ZmLkRvbWFpbl1dAAMJAw3gIYAAIEF3IkrfCIEAAAAAAAAAAODg4DABfOa/1TdoYW5kb2ZmLlJlc29sdmVO" +
        "b3RpZmljYXRpb27o6Ogg6AgDDcFCAuDBdQkDBSGAAH4RKiNK3wiBAAAAAAAAAADg4DABrIcc+TVoYW5kb2ZmLkluZGV4QWN0aXZlSGFuZG9mZujo" +
        "6CDowKICwQfBCcF1AQk5DQADCQMN4AE6AiGAACBBdyJK3wiBAAAAAAAAAADg4OAwAR55IuUtaGFuZG9mZi5VbmluZGV4SGFuZG9mZujo6MCiAsF1" +
        "4DABPshcUDVoYW5kb2ZmLlNjaGVkdWxlRXNjYWxhdGlvbujo6MB1IYAAwFL+Q0rfCIEAAAAAAAAAAODgMAFwD5m2MWhhbmRvZmYuQ2FuY2VsRXNj" +
        "YWxhdGlvbujo6MB14OAhgADgA/jGR98IgQAAAAAAAAAA4CGAAH4RKiNK3wiBAAAAAAAAAADgIYAAoG0ikEjfCIEAAAAAAAAAAOAhgABg10xZSd8I" +
        "gQAAAAAAAAAA4CGAAOAD+MZH3wiBAAAAAAAAAADgAQXBdSGAAMTUTSNK3wiBAAAAAAAAAADgIQEDgSUjIoTknPLLgABQuLMRSt8I4OA=";

    /// <summary>The same state as written before the seen event ids were sealed into segments (no field 29 to 32).</summary>
    private const string StoredStateBytesBeforeSeenSegments =
        "IAADQRdCcmFuZG9uIExlZUEPb3duZXItMQkDDQkDEQEBIehAC3JlcC0xIYAAZgSbIkrfCIEAAAAAAAAAAOBBFW9uIGhvbGlkYXngAQMhAAMh6EAL" +
        "ZXZ0LTEJAxEhgABQuLMRSt8IgQAAAAAAAAAA4AkDCUEpQ2FuIHNvbWVvbmUgY2FsbCBtZT8BAyGAAOCqoetK3wiBAAAAAAAAAADgQRFXZWJpbmFy" +
        "cwkDDQkDEcEJIYAAuHwVGkrfCIEAAAAAAAAAAODg4CHoADoCCQMFATEJAwkJAwkxAcXF8xVzU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlz" +
        "dGAxW1toYW5kb2ZmLlJlYXNvblJlY29yZF1dAAMh6AgDDTEBw9luPk1SZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1tzdHJpbmddXQADQSVh" +
        "c2tlZCBmb3IgYSBwZXJzb27gIYAAIEF3IkrfCIEAAAAAAAAAAODg4CGAAFC4sxFK3wiBAAAAAAAAAADgAQUBJeAh6EANY2FyZC0xAQlBIVNJIEh1" +
        "bWFuIEhhbmRvZmZBJ0Fza2VkIGZvciBhIHBlcnNvbi7ZA1UBOgIJAwUJAxEJAw0JAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGAAH4RKiNK3wiB" +
        "AAAAAAAAAADgIYAAfhEqI0rfCIEAAAAAAAAAAODBEzEBH24g6mlSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1toYW5kb2ZmLkFjdGlvblJl" +
        "Y29yZF1dAAUh6AgDCcETIYAAZgSbIkrfCIEAAAAAAAAAAODgIOgIAwXBEyGAAH4RKiNK3wiBAAAAAAAAAADg4OAhgAA4TgYjSt8IgQAAAAAAAAAA" +
        "4CGAAGYEmyJK3wiBAAAAAAAAAADgwQEJAwHBAeAh6AgDBcEJ4EEVY2FyZC0xOjE6MzEBaliwm61TeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5M" +
        "aXN0YDFbW0hhbmRvZmYuRG9tYWluLk1vZGVsLkhhbmRvZmZSZWFzb24sSGFuZG9mZi5Eb21haW5dXQADCQMN4CGAAH4RKiNK3wiBAAAAAAAAAADg" +
        "IQADIegADQkDDSGAAH4RKiNK3wiBAAAAAAAAAADgwRPBdQEJQUtDYXJkIHJlc29sdmVkOiBTSSBhdXRvbWF0aW9uIHJlc3VtZWQu4OABDSEABSHo" +
        "QAdtLTEJAwUJAwVBGUZvbGxvd2luZyB1cEEFSGkJAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGAAIgF2SpK3wiBAAAAAAAAAADgwQHBE+Ag6EAH" +
        "bS0yCQMJCQMJQQFBC0hlbGxvCQMNwQEhgAAgQXciSt8IgQAAAAAAAAAA4CGAACBBdyJK3wiBAAAAAAAAAADgIYAArMe+IkrfCIEAAAAAAAAAAODB" +
        "TgLg4CIADTEBKQwmkjdoYW5kb2ZmLkRlbGl2ZXJOb3RpZmljYXRpb27o6Ogg6AgDBcEJ4CHowNMJAwUJAwlBB2MtMcEHwXUBCUFXU0kgSHVtYW4g" +
        "SGFuZG9mZjogQnJhbmRvbiBMZWUgbmVlZHMgeW91IG5vd8F7MQFTFsH7o1JlYWRPbmx5TGlzdEludGVyZmFjZUNvZGVjYDFbW0hhbmRvZmYuRG9t" +
        "YWluLk1vZGVsLkhhbmRvZmZSZWFzb24sSGFuZG9mZi5Eb21haW5dXQADCQMN4CGAACBBdyJK3wiBAAAAAAAAAADg4OAwAXzmv9U3aGFuZG9mZi5S" +
        "ZXNvbHZlTm90aWZpY2F0aW9u6OjoIOgIAw3BTgLgwXUJAwUhgAB+ESojSt8IgQAAAAAAAAAA4OAwAayHHPk1aGFuZG9mZi5JbmRleEFjdGl2ZUhh" +
        "bmRvZmbo6Ogg6MCuAsEHwQnBdQEJOQ0AAwkDDeABOgIhgAAgQXciSt8IgQAAAAAAAAAA4ODgMAEeeSLlLWhhbmRvZmYuVW5pbmRleEhhbmRvZmbo" +
        "6OjArgLBdeAwAT7IXFA1aGFuZG9mZi5TY2hlZHVsZUVzY2FsYXRpb27o6OjAdSGAAMBS/kNK3wiBAAAAAAAAAADg4DABcA+ZtjFoYW5kb2ZmLkNh" +
        "bmNlbEVzY2FsYXRpb27o6OjAdeDgIYAA4AP4xkffCIEAAAAAAAAAAOAhgAB+ESojSt8IgQAAAAAAAAAA4CGAAKBtIpBI3wiBAAAAAAAAAADgIYAA" +
        "YNdMWUnfCIEAAAAAAAAAAOAhgADgA/jGR98IgQAAAAAAAAAA4AEFwXUhgADE1E0jSt8IgQAAAAAAAAAA4CEBA4ElIyKE5Jzyy4AAULizEUrfCODg";

    /// <summary>
    /// The same state as the release before the tenant's index kept escalations wrote it, with field 26 (the card whose
    /// escalation reminder the contact had registered, since retired): it must still read, the field skipped.
    /// </summary>
    private const string StoredStateBytesWithRetiredField26 =
        "IAADQRdCcmFuZG9uIExlZUEPb3duZXItMQkDDQkDEQEBIehAC3JlcC0xIYAAZgSbIkrfCIEAAAAAAAAAAOBBFW9uIGhvbGlkYXngAQMhAAMh6EAL" +
        "ZXZ0LTEJAxEhgABQuLMRSt8IgQAAAAAAAAAA4AkDCUEpQ2FuIHNvbWVvbmUgY2FsbCBtZT8BAyGAAOCqoetK3wiBAAAAAAAAAADgQRFXZWJpbmFy" +
        "cwkDDQkDEcEJIYAAuHwVGkrfCIEAAAAAAAAAAODg4CHoADoCCQMFATEJAwkJAwkxAcXF8xVzU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlz" +
        "dGAxW1toYW5kb2ZmLlJlYXNvblJlY29yZF1dAAMh6AgDDTEBw9luPk1SZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1tzdHJpbmddXQADQSVh" +
        "c2tlZCBmb3IgYSBwZXJzb27gIYAAIEF3IkrfCIEAAAAAAAAAAODg4CGAAFC4sxFK3wiBAAAAAAAAAADgAQUBJeAh6EANY2FyZC0xAQlBIVNJIEh1" +
        "bWFuIEhhbmRvZmZBJ0Fza2VkIGZvciBhIHBlcnNvbi7ZA1UBOgIJAwUJAxEJAw0JAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGAAH4RKiNK3wiB" +
        "AAAAAAAAAADgIYAAfhEqI0rfCIEAAAAAAAAAAODBEzEBH24g6mlSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1toYW5kb2ZmLkFjdGlvblJl" +
        "Y29yZF1dAAUh6AgDCcETIYAAZgSbIkrfCIEAAAAAAAAAAODgIOgIAwXBEyGAAH4RKiNK3wiBAAAAAAAAAADg4OAhgAA4TgYjSt8IgQAAAAAAAAAA" +
        "4CGAAGYEmyJK3wiBAAAAAAAAAADgwQEJAwHBAeAh6AgDBcEJ4EEVY2FyZC0xOjE6MzEBaliwm61TeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5M" +
        "aXN0YDFbW0hhbmRvZmYuRG9tYWluLk1vZGVsLkhhbmRvZmZSZWFzb24sSGFuZG9mZi5Eb21haW5dXQADCQMN4CGAAH4RKiNK3wiBAAAAAAAAAADg" +
        "IQADIegADQkDDSGAAH4RKiNK3wiBAAAAAAAAAADgwRPBdQEJQUtDYXJkIHJlc29sdmVkOiBTSSBhdXRvbWF0aW9uIHJlc3VtZWQu4OABDSEABSHo" +
        "QAdtLTEJAwUJAwVBGUZvbGxvd2luZyB1cEEFSGkJAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGAAIgF2SpK3wiBAAAAAAAAAADgwQHBE+Ag6EAH" +
        "bS0yCQMJCQMJQQFBC0hlbGxvCQMNwQEhgAAgQXciSt8IgQAAAAAAAAAA4CGAACBBdyJK3wiBAAAAAAAAAADgIYAArMe+IkrfCIEAAAAAAAAAAODB" +
        "TgLg4CIADTEBKQwmkjdoYW5kb2ZmLkRlbGl2ZXJOb3RpZmljYXRpb27o6Ogg6AgDBcEJ4CHowNMJAwUJAwlBB2MtMcEHwXUBCUFXU0kgSHVtYW4g" +
        "SGFuZG9mZjogQnJhbmRvbiBMZWUgbmVlZHMgeW91IG5vd8F7MQFTFsH7o1JlYWRPbmx5TGlzdEludGVyZmFjZUNvZGVjYDFbW0hhbmRvZmYuRG9t" +
        "YWluLk1vZGVsLkhhbmRvZmZSZWFzb24sSGFuZG9mZi5Eb21haW5dXQADCQMN4CGAACBBdyJK3wiBAAAAAAAAAADg4OAwAXzmv9U3aGFuZG9mZi5S" +
        "ZXNvbHZlTm90aWZpY2F0aW9u6OjoIOgIAw3BTgLgwXUJAwUhgAB+ESojSt8IgQAAAAAAAAAA4OAwAayHHPk1aGFuZG9mZi5JbmRleEFjdGl2ZUhh" +
        "bmRvZmbo6Ogg6MCuAsEHwQnBdQEJOQ0AAwkDDeABOgIhgAAgQXciSt8IgQAAAAAAAAAA4ODgMAEeeSLlLWhhbmRvZmYuVW5pbmRleEhhbmRvZmbo" +
        "6OjArgLBdeAwAT7IXFA1aGFuZG9mZi5TY2hlZHVsZUVzY2FsYXRpb27o6OjAdSGAAMBS/kNK3wiBAAAAAAAAAADg4DABcA+ZtjFoYW5kb2ZmLkNh" +
        "bmNlbEVzY2FsYXRpb27o6OjAdeDgIYAA4AP4xkffCIEAAAAAAAAAAOAhgAB+ESojSt8IgQAAAAAAAAAA4CGAAKBtIpBI3wiBAAAAAAAAAADgIYAA" +
        "YNdMWUnfCIEAAAAAAAAAAOAhgADgA/jGR98IgQAAAAAAAAAA4AEFwXUhgADE1E0jSt8IgQAAAAAAAAAA4CEBA4ElIyKE5Jzyy4AAULizEUrfCOAh" +
        "4AEBwQHBAeA=";

    /// <summary>The same state as written before the window was packed: its events as a list of records (field 8).</summary>
    private const string StoredStateBytesWithListWindow =
        "IAADQRdCcmFuZG9uIExlZUEPb3duZXItMQkDDQkDEQEBIehAC3JlcC0xIYAAZgSbIkrfCIEAAAAAAAAAAOBBFW9uIGhvbGlkYXngAQMhAAMh6EAL" +
        "ZXZ0LTEJAxEhgABQuLMRSt8IgQAAAAAAAAAA4AkDCUEpQ2FuIHNvbWVvbmUgY2FsbCBtZT8BAyGAAOCqoetK3wiBAAAAAAAAAADgQRFXZWJpbmFy" +
        "cwkDDQkDEcEJIYAAuHwVGkrfCIEAAAAAAAAAAODg4CHoADoCCQMFATEJAwkJAwkxAcXF8xVzU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlz" +
        "dGAxW1toYW5kb2ZmLlJlYXNvblJlY29yZF1dAAMh6AgDDTEBw9luPk1SZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1tzdHJpbmddXQADQSVh" +
        "c2tlZCBmb3IgYSBwZXJzb27gIYAAIEF3IkrfCIEAAAAAAAAAAODg4CGAAFC4sxFK3wiBAAAAAAAAAADgAQUBJeAh6EANY2FyZC0xAQlBIVNJIEh1" +
        "bWFuIEhhbmRvZmZBJ0Fza2VkIGZvciBhIHBlcnNvbi7ZA1UBOgIJAwUJAxEJAw0JAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGAAH4RKiNK3wiB" +
        "AAAAAAAAAADgIYAAfhEqI0rfCIEAAAAAAAAAAODBEzEBH24g6mlSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1toYW5kb2ZmLkFjdGlvblJl" +
        "Y29yZF1dAAUh6AgDCcETIYAAZgSbIkrfCIEAAAAAAAAAAODgIOgIAwXBEyGAAH4RKiNK3wiBAAAAAAAAAADg4OAhgAA4TgYjSt8IgQAAAAAAAAAA" +
        "4CGAAGYEmyJK3wiBAAAAAAAAAADgwQEJAwHBAeAh6AgDBcEJ4EEVY2FyZC0xOjE6MzEBaliwm61TeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5M" +
        "aXN0YDFbW0hhbmRvZmYuRG9tYWluLk1vZGVsLkhhbmRvZmZSZWFzb24sSGFuZG9mZi5Eb21haW5dXQADCQMN4CGAAH4RKiNK3wiBAAAAAAAAAADg" +
        "IQADIegADQkDDSGAAH4RKiNK3wiBAAAAAAAAAADgwRPBdQEJQUtDYXJkIHJlc29sdmVkOiBTSSBhdXRvbWF0aW9uIHJlc3VtZWQu4OABDSEABSHo" +
        "QAdtLTEJAwUJAwVBGUZvbGxvd2luZyB1cEEFSGkJAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGAAIgF2SpK3wiBAAAAAAAAAADgwQHBE+Ag6EAH" +
        "bS0yCQMJCQMJQQFBC0hlbGxvCQMNwQEhgAAgQXciSt8IgQAAAAAAAAAA4CGAACBBdyJK3wiBAAAAAAAAAADgIYAArMe+IkrfCIEAAAAAAAAAAODB" +
        "TgLg4CIADTEBKQwmkjdoYW5kb2ZmLkRlbGl2ZXJOb3RpZmljYXRpb27o6Ogg6AgDBcEJ4CHowNMJAwUJAwlBB2MtMcEHwXUBCUFXU0kgSHVtYW4g" +
        "SGFuZG9mZjogQnJhbmRvbiBMZWUgbmVlZHMgeW91IG5vd8F7MQFTFsH7o1JlYWRPbmx5TGlzdEludGVyZmFjZUNvZGVjYDFbW0hhbmRvZmYuRG9t" +
        "YWluLk1vZGVsLkhhbmRvZmZSZWFzb24sSGFuZG9mZi5Eb21haW5dXQADCQMN4CGAACBBdyJK3wiBAAAAAAAAAADg4OAwAXzmv9U3aGFuZG9mZi5S" +
        "ZXNvbHZlTm90aWZpY2F0aW9u6OjoIOgIAw3BTgLgwXUJAwUhgAB+ESojSt8IgQAAAAAAAAAA4OAwAayHHPk1aGFuZG9mZi5JbmRleEFjdGl2ZUhh" +
        "bmRvZmbo6Ogg6MCuAsEHwQnBdQEJOQ0AAwkDDeABOgIhgAAgQXciSt8IgQAAAAAAAAAA4MEB4OAwAR55IuUtaGFuZG9mZi5VbmluZGV4SGFuZG9m" +
        "Zujo6MCuAsF14DABPshcUDVoYW5kb2ZmLlNjaGVkdWxlRXNjYWxhdGlvbujo6MB1IYAAwFL+Q0rfCIEAAAAAAAAAAODgMAFwD5m2MWhhbmRvZmYu" +
        "Q2FuY2VsRXNjYWxhdGlvbujo6MB14OAhgADgA/jGR98IgQAAAAAAAAAA4CGAAH4RKiNK3wiBAAAAAAAAAADgIYAAoG0ikEjfCIEAAAAAAAAAAOAh" +
        "gABg10xZSd8IgQAAAAAAAAAA4CGAAOAD+MZH3wiBAAAAAAAAAADgAQUigADE1E0jSt8IgQAAAAAAAAAA4CEBA4ElIyKE5Jzyy4AAULizEUrfCOAh" +
        "4AEBwQHBAeA=";

    /// <summary>The same state as the current code writes it: its window packed (field 33), the card's fact sheet, summary writer and time unset, no seen segment.</summary>
    private const string StoredStateBytes =
        "IAADQRdCcmFuZG9uIExlZUEPb3duZXItMQkDDQkDEQEBIehAC3JlcC0xIYAAZgSbIkrfCIEAAAAAAAAAAOBBFW9uIGhvbGlkYXngAQMh4CHoADoC" +
        "CQMFATEJAwkJAwkxAcXF8xVzU3lzdGVtLkNvbGxlY3Rpb25zLkdlbmVyaWMuTGlzdGAxW1toYW5kb2ZmLlJlYXNvblJlY29yZF1dAAMh6AgDDTEB" +
        "w9luPk1SZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1tzdHJpbmddXQADQSVhc2tlZCBmb3IgYSBwZXJzb27gIYAAIEF3IkrfCIEAAAAAAAAA" +
        "AODg4CGAAFC4sxFK3wiBAAAAAAAAAADgAQUBJeAh6EANY2FyZC0xAQlBIVNJIEh1bWFuIEhhbmRvZmZBJ0Fza2VkIGZvciBhIHBlcnNvbi7ZAy0B" +
        "OgIJAwUJAxEJAw0JAwkJAwUhgAAgQXciSt8IgQAAAAAAAAAA4CGAAH4RKiNK3wiBAAAAAAAAAADgIYAAfhEqI0rfCIEAAAAAAAAAAODBEzEBH24g" +
        "6mlSZWFkT25seUxpc3RJbnRlcmZhY2VDb2RlY2AxW1toYW5kb2ZmLkFjdGlvblJlY29yZF1dAAUh6AgDCcETIYAAZgSbIkrfCIEAAAAAAAAAAODg" +
        "IOgIAwXBEyGAAH4RKiNK3wiBAAAAAAAAAADg4OAhgAA4TgYjSt8IgQAAAAAAAAAA4CGAAGYEmyJK3wiBAAAAAAAAAADgwQEJAwHBAeAh6AgDBcEJ" +
        "4EEVY2FyZC0xOjE6MzEBaliwm61TeXN0ZW0uQ29sbGVjdGlvbnMuR2VuZXJpYy5MaXN0YDFbW0hhbmRvZmYuRG9tYWluLk1vZGVsLkhhbmRvZmZS" +
        "ZWFzb24sSGFuZG9mZi5Eb21haW5dXQADCQMN4CGAAH4RKiNK3wiBAAAAAAAAAADgIQADIegADQkDDSGAAH4RKiNK3wiBAAAAAAAAAADgwRPBTQEJ" +
        "QUtDYXJkIHJlc29sdmVkOiBTSSBhdXRvbWF0aW9uIHJlc3VtZWQu4OABDSEABSHoQAdtLTEJAwUJAwVBGUZvbGxvd2luZyB1cEEFSGkJAwkJAwUh" +
        "gAAgQXciSt8IgQAAAAAAAAAA4CGAAIgF2SpK3wiBAAAAAAAAAADgwQHBE+Ag6EAHbS0yCQMJCQMJQQFBC0hlbGxvCQMNwQEhgAAgQXciSt8IgQAA" +
        "AAAAAAAA4CGAACBBdyJK3wiBAAAAAAAAAADgIYAArMe+IkrfCIEAAAAAAAAAAODB/+DgIgANMQEpDCaSN2hhbmRvZmYuRGVsaXZlck5vdGlmaWNh" +
        "dGlvbujo6CDoCAMFwQngIejAqwkDBQkDCUEHYy0xwQfBTQEJQVdTSSBIdW1hbiBIYW5kb2ZmOiBCcmFuZG9uIExlZSBuZWVkcyB5b3Ugbm93wVMx" +
        "AVMWwfujUmVhZE9ubHlMaXN0SW50ZXJmYWNlQ29kZWNgMVtbSGFuZG9mZi5Eb21haW4uTW9kZWwuSGFuZG9mZlJlYXNvbixIYW5kb2ZmLkRvbWFp" +
        "bl1dAAMJAw3gIYAAIEF3IkrfCIEAAAAAAAAAAODg4DABfOa/1TdoYW5kb2ZmLlJlc29sdmVOb3RpZmljYXRpb27o6Ogg6AgDDcH/4MFNCQMFIYAA" +
        "fhEqI0rfCIEAAAAAAAAAAODgMAGshxz5NWhhbmRvZmYuSW5kZXhBY3RpdmVIYW5kb2Zm6OjoIOjAXgLBB8EJwU0BCTkNAAMJAw3gAToCIYAAIEF3" +
        "IkrfCIEAAAAAAAAAAODBAeDgMAEeeSLlLWhhbmRvZmYuVW5pbmRleEhhbmRvZmbo6OjAXgLBTeAwAT7IXFA1aGFuZG9mZi5TY2hlZHVsZUVzY2Fs" +
        "YXRpb27o6OjATSGAAMBS/kNK3wiBAAAAAAAAAADg4DABcA+ZtjFoYW5kb2ZmLkNhbmNlbEVzY2FsYXRpb27o6OjATeDgIYAA4AP4xkffCIEAAAAA" +
        "AAAAAOAhgAB+ESojSt8IgQAAAAAAAAAA4CGAAKBtIpBI3wiBAAAAAAAAAADgIYAAYNdMWUnfCIEAAAAAAAAAAOAhgADgA/jGR98IgQAAAAAAAAAA" +
        "4AEFIoAAxNRNI0rfCIEAAAAAAAAAAOAhAQOBJSMihOSc8suAAFC4sxFK3wjgIeABAcEBwQFBjwEBAFC4sxFK3wgAAAQCAwQDAOCqoetK3wgAAAZl" +
        "dnQtMRVDYW4gc29tZW9uZSBjYWxsIG1lPwlXZWJpbmFycwhvd25lci0x4A==";

    private static readonly IServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private static readonly Serializer Serializer = Services.GetRequiredService<Serializer>();

    [Fact]
    public void A_journaled_event_reads_back_from_its_stored_bytes_and_writes_the_same_bytes()
    {
        var stored = Convert.FromBase64String(StoredEventBytes);

        var read = Serializer.Deserialize<EngagementEvent>(stored);

        Assert.Equal(Event(appendedAt: null), read);
        Assert.Equal(StoredEventBytes, Convert.ToBase64String(Serializer.SerializeToArray(read)));
    }

    /// <summary>
    /// A list written from a collection expression (a card's actions, a reason's evidence) is read back as a list of
    /// another class, which is then written in a form of its own: the bytes written back differ the first time, then stay.
    /// </summary>
    [Theory]
    [InlineData(StoredStateBytesWithRetiredField18, false)]
    [InlineData(StoredStateBytesBeforeFactSheets, false)]
    [InlineData(StoredStateBytesBeforeSeenSegments, false)]
    [InlineData(StoredStateBytesWithRetiredField26, false)]
    [InlineData(StoredStateBytesWithListWindow, false)]
    [InlineData(StoredStateBytes, true)]
    public void A_contact_state_reads_back_from_its_stored_bytes_and_writes_bytes_that_read_the_same(string storedBytes, bool windowPacked)
    {
        var stored = Convert.FromBase64String(storedBytes);

        var read = Serializer.Deserialize<ContactState>(stored);
        var rewritten = Serializer.SerializeToArray(read);
        var readAgain = Serializer.Deserialize<ContactState>(rewritten);

        Assert.Equal(Dump(State(windowPacked)), Dump(read));
        Assert.Equal(Dump(State(windowPacked)), Dump(readAgain));
        Assert.Equal(rewritten, Serializer.SerializeToArray(readAgain));
    }

    [Fact]
    public void The_current_code_writes_the_held_bytes()
    {
        Assert.Equal(StoredEventBytes, Convert.ToBase64String(Serializer.SerializeToArray(Event(appendedAt: null))));
        Assert.Equal(StoredStateBytes, Convert.ToBase64String(Serializer.SerializeToArray(State(windowPacked: true))));
    }

    /// <summary>
    /// A grain call within the silo copies its arguments unless they are immutable: the journaled events and their list
    /// go to the contact as they are, neither copied for every call of every batch.
    /// </summary>
    [Fact]
    public void A_grain_call_in_the_silo_passes_the_events_themselves()
    {
        IReadOnlyList<EngagementEvent> events = [Event(At), Event(appendedAt: null)];
        var call = (IInvokable)Activator.CreateInstance(CallType(typeof(IContactGrain), nameof(IContactGrain.ApplyJournaled)))!;
        call.SetArgument(0, events);

        var copied = Services.GetRequiredService<DeepCopier>().Copy<object>(call) as IInvokable;

        Assert.NotSame(call, copied);
        Assert.Same(events, copied!.GetArgument(0));

        var list = Services.GetRequiredService<DeepCopier<IReadOnlyList<EngagementEvent>>>().Copy(events);
        Assert.Same(events[0], list[0]);
        Assert.Same(events[1], list[1]);
    }

    /// <summary>The held bytes pin the packed window's layout too: they must read back as the event packed.</summary>
    [Fact]
    public void The_window_held_packed_reads_back_as_its_event()
    {
        var read = Serializer.Deserialize<ContactState>(Convert.FromBase64String(StoredStateBytes))!;

        Assert.Empty(read.RecentEvents);
        Assert.Equal([WindowEvent()], PackedWindow.Unpack(read.PackedRecentEvents!));
    }

    /// <summary>The request type Orleans generates for a grain method: a call's arguments travel in it.</summary>
    private static Type CallType(Type grainInterface, string method) =>
        grainInterface.Assembly.GetTypes().Single(t => t.GetCustomAttribute<CompoundTypeAliasAttribute>()?.Components is [_, _, Type i, string m]
            && i == grainInterface && m == method);

    /// <summary>Every field of the state, nested lists and the effects (by their runtime types) included.</summary>
    private static string Dump(ContactState? state) =>
        JsonSerializer.Serialize(state) + JsonSerializer.Serialize(state!.PendingEffects.Cast<object>().ToList());

    private static EngagementEvent Event(DateTimeOffset? appendedAt) => new()
    {
        EventId = "evt-1",
        Type = EventType.SmsReceived,
        OccurredAt = At.AddHours(-2),
        Channel = Channel.Sms,
        Text = "Can someone call me?",
        PricingPage = true,
        AppointmentTime = At.AddDays(1),
        Feature = "Webinars",
        Stage = LifecycleStage.Sql,
        Phase = PipelinePhase.Win,
        OwnerUserId = "owner-1",
        AppendedAt = appendedAt,
    };

    /// <summary>The window's one event: a window never kept an event's append time.</summary>
    private static EngagementEvent WindowEvent() => Event(appendedAt: null);

    /// <summary>
    /// A contact with every part filled: built the way the contact builds its parts (lists from collection expressions),
    /// its window packed as the current code writes it, or as the list of records written before.
    /// </summary>
    private static ContactState State(bool windowPacked)
    {
        var window = new AppraisedWindow(new ScoringOptions());
        window.Add(new AppraisedEvent(WindowEvent(), 0, Sentiment.Unknown, 0));
        var reasons = new List<ReasonRecord> { new(HandoffReason.NeedsHumanJudgement, ["asked for a person"], At) };
        var card = new CardState
        {
            CardId = "card-1",
            Version = 2,
            Label = "SI Human Handoff",
            Summary = "Asked for a person.",
            Reasons = reasons,
            ScoreAtRaise = 71,
            TrendAtRaise = Trend.Rising,
            PhaseAtRaise = PipelinePhase.Win,
            StageAtRaise = LifecycleStage.Sql,
            Status = CardStatus.Resolved,
            Resolution = CardResolution.Resumed,
            CreatedAt = At,
            UpdatedAt = At.AddMinutes(5),
            ResolvedAt = At.AddMinutes(5),
            ResolvedByUserId = "rep-1",
            Actions = [new ActionRecord(ActionKind.PauseAllOutreach, "rep-1", At.AddMinutes(1)), new ActionRecord(ActionKind.ResumeAutomation, "rep-1", At.AddMinutes(5))],
            EscalatedAt = At.AddMinutes(4),
            AttendedAt = At.AddMinutes(1),
        };
        var notice = new NotificationNotice
        {
            DeliveryId = "card-1:1:3",
            Kind = NotificationKind.Handoff,
            Priority = NotificationPriority.High,
            ContactId = "c-1",
            ContactDisplayName = "Brandon Lee",
            CardId = "card-1",
            CardVersion = 2,
            Title = "SI Human Handoff: Brandon Lee needs you now",
            Summary = "Asked for a person.",
            Reasons = [HandoffReason.NeedsHumanJudgement],
            At = At,
        };
        return new ContactState
        {
            Exists = true,
            DisplayName = "Brandon Lee",
            OwnerUserId = "owner-1",
            Stage = LifecycleStage.Sql,
            Phase = PipelinePhase.Win,
            AutoEngage = false,
            Pause = new OutreachPauseState("rep-1", At.AddMinutes(1), "on holiday"),
            Unsubscribed = true,
            RecentEvents = windowPacked ? [] : [Event(At.AddHours(-1))],
            PackedRecentEvents = windowPacked ? PackedWindow.Pack(window) : null,
            Engagement = new EngagementState
            {
                Score = 71,
                Trend = Trend.Rising,
                TrendDelta = 12,
                Sentiment = Sentiment.Positive,
                Recommendation = Recommendation.HumanHandoff,
                Reasons = reasons,
                LastEventAt = At.AddHours(-2),
                RecentEventCount = 1,
                TotalEventCount = 9,
            },
            Card = card,
            CardInbox = new InboxAddress(InboxKind.User, "owner-1"),
            CardDeliveryId = "card-1:1:3",
            LastResumedReasons = card.Reasons.Select(r => r.Reason).ToList(),
            LastResumedAt = At.AddMinutes(5),
            History = [new HistoryRecord(3, HistoryKind.CardResolved, At.AddMinutes(5), "rep-1", "card-1", 2, "Card resolved: SI automation resumed.")],
            LastHistorySequence = 3,
            Outbox =
            [
                new OutreachMessageState
                {
                    MessageId = "m-1",
                    Source = MessageSource.Si,
                    Channel = Channel.Email,
                    Subject = "Following up",
                    Body = "Hi",
                    Status = MessageStatus.Held,
                    HoldReason = DenialReason.OutreachPaused,
                    QueuedAt = At,
                    SendAfter = At.AddHours(1),
                    QueuedByUserId = "rep-1",
                },
                new OutreachMessageState
                {
                    MessageId = "m-2",
                    Source = MessageSource.Manual,
                    Channel = Channel.Sms,
                    Body = "Hello",
                    Status = MessageStatus.Claimed,
                    QueuedAt = At,
                    SendAfter = At,
                    ClaimedAt = At.AddMinutes(2),
                },
            ],
            PendingEffects =
            [
                new DeliverNotification(new InboxAddress(InboxKind.User, "owner-1"), notice),
                new ResolveNotification(InboxAddress.Team, "card-1", NotificationResolution.CardResolved, At.AddMinutes(5)),
                new IndexActiveHandoff(new ActiveHandoffEntry
                {
                    ContactId = "c-1",
                    ContactDisplayName = "Brandon Lee",
                    OwnerUserId = "owner-1",
                    CardId = "card-1",
                    CardVersion = 2,
                    Reasons = [HandoffReason.NeedsHumanJudgement],
                    ScoreAtRaise = 71,
                    CreatedAt = At,
                }),
                new UnindexHandoff("c-1", "card-1"),
                new ScheduleEscalation("card-1", At.AddHours(4)),
                new CancelEscalation("card-1"),
            ],
            CreatedAt = At.AddDays(-3),
            UpdatedAt = At.AddMinutes(5),
            StageChangedAt = At.AddDays(-2),
            PhaseChangedAt = At.AddDays(-1),
            OwnerChangedAt = At.AddDays(-3),
            CardsRaised = 1,
            CheckpointedAt = At.AddMinutes(6),
            SeenEvents = new Dictionary<ulong, long> { [14695981039346656037] = At.AddHours(-2).UtcTicks },
        };
    }
}
